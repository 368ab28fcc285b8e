/**
 * Query understanding: one entry point from what the user typed (plus any photos they gave) to an
 * UnderstoodQuery: weighted positive and negative terms, image terms, a date range and, later, a
 * place. The search service embeds and combines the terms; the gallery shows them as chips.
 */
import { badRequest } from "@/lib/errors";
import { extractDateRange } from "./dates";
import { extractPlace } from "./places";
import { parseTerms } from "./terms";
import type { ImageTerm, UnderstoodQuery } from "./types";

export type { DateRange, ImageTerm, PlaceTerm, QueryTerm, UnderstoodQuery } from "./types";
export { formatTerms } from "./terms";

export interface QueryInput {
  text?: string;
  /** Photos to search like (a stored photo id, or the uploaded image), with weights. */
  images?: ImageTerm[];
  /** Photos to search away from ("not like this"). */
  notImages?: ImageTerm[];
  /** Whether dates typed in the text become a filter (on by default). */
  dates?: boolean;
  /** Whether a place typed in the text ("in Arezzo") becomes a filter (on by default). */
  places?: boolean;
  now?: Date;
}

export function understandQuery(input: QueryInput): UnderstoodQuery {
  const { dateRange, rest } = input.text && input.dates !== false ? extractDateRange(input.text, input.now) : { rest: input.text ?? "" };
  const { place, rest: words } = input.places !== false ? extractPlace(rest) : { place: undefined, rest };
  const { positive, negative } = parseTerms(words);
  const images = { positive: input.images ?? [], negative: input.notImages ?? [] };
  if (positive.length + images.positive.length === 0 && negative.length + images.negative.length > 0 && !dateRange && !place)
    throw badRequest("a query needs something to look for besides what to leave out");
  return { positive, negative, images, ...(dateRange ? { dateRange } : {}), ...(place ? { place } : {}) };
}

/** Whether the query asks for anything by meaning (else it is a browse, perhaps within dates). */
export function hasPositiveTerms(query: UnderstoodQuery): boolean {
  return query.positive.length + query.images.positive.length > 0;
}

/** The positive text terms as one string, for full-text search. */
export function positiveText(query: UnderstoodQuery): string {
  return query.positive.map((term) => term.text).join(" ");
}
