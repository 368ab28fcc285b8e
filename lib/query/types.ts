/** What the app understood from a query: the shape the API returns as `query` and the gallery shows as chips. */

/** A text term with its weight; the list it sits in says whether it attracts or repels. */
export interface QueryTerm {
  text: string;
  weight: number;
}

/** A photo used as a query term: a stored photo (`id`) or the uploaded/pasted image (`upload`). */
export interface ImageTerm {
  id?: string;
  upload?: true;
  weight: number;
}

export interface DateRange {
  /** Inclusive ISO dates (YYYY-MM-DD). */
  from: string;
  to: string;
  /** The words the range was read from, e.g. "July 2023" or "去年夏天". */
  text: string;
}

/** A place typed into the query ("street in Arezzo", "意大利的街道"): lib/query/places.ts. */
export interface PlaceTerm {
  /** The place's name as understood ("Arezzo", "Italy"). */
  text: string;
  /** A city: photos within this radius of it. */
  near?: { lat: number; lon: number; radiusKm: number };
  /** A country: photos whose place lies in it (ISO 3166-1 alpha-2). */
  country?: string;
}

export interface UnderstoodQuery {
  positive: QueryTerm[];
  negative: QueryTerm[];
  images: { positive: ImageTerm[]; negative: ImageTerm[] };
  dateRange?: DateRange;
  place?: PlaceTerm;
}
