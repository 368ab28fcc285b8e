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

/**
 * Places typed into the query ("street in Arezzo") are a later issue; this slot is where that
 * parser puts what it finds, so the API shape and the chips do not change when it lands.
 */
export interface PlaceTerm {
  text: string;
  near?: { lat: number; lon: number; radiusKm: number };
}

export interface UnderstoodQuery {
  positive: QueryTerm[];
  negative: QueryTerm[];
  images: { positive: ImageTerm[]; negative: ImageTerm[] };
  dateRange?: DateRange;
  place?: PlaceTerm;
}
