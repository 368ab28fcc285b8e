/**
 * From a ranked candidate window to the page the user sees: hits that a negative term matches move
 * to the end, the adaptive cut-off counts the relevant ones, date order sorts within the relevant
 * set (and separately within the rest), and paging walks that list. The window is the same for
 * every page of one query, so infinite scroll is stable.
 */
import type { RankedHit } from "@/lib/store/types";
import type { ResultOrder } from "./request";

/** Candidates fetched for every meaning-based search; the cut-off and date order work inside it. */
export const RELEVANCE_WINDOW = 200;

export interface RankedPage<T extends RankedHit> {
  hits: T[];
  /** Whether more results exist beyond this page. */
  hasMore: boolean;
  /** Hits judged relevant in the whole ranking (not just this page). */
  relevant: number;
  /** With the cut-off on: how many less relevant hits the window holds beyond the relevant ones. */
  lessRelevant: number;
}

/** Moves the hits whose ids are in `demoted` after all the others, keeping each group's order. */
export function demote<T extends RankedHit>(hits: T[], demoted: ReadonlySet<string>): { hits: T[]; kept: number } {
  if (demoted.size === 0) return { hits, kept: hits.length };
  const kept = hits.filter((hit) => !demoted.has(hit.photo.id));
  return { hits: [...kept, ...hits.filter((hit) => demoted.has(hit.photo.id))], kept: kept.length };
}

/** Capture date order; photos without a date go last, ties by score then id, so pages are stable. */
export function byDate<T extends RankedHit>(hits: T[], order: Exclude<ResultOrder, "relevance">): T[] {
  const sign = order === "newest" ? -1 : 1;
  const time = (hit: T) => (hit.photo.takenAt ? Date.parse(hit.photo.takenAt) : Number.NaN);
  return [...hits].sort((a, b) => {
    const ta = time(a);
    const tb = time(b);
    if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
    if (!Number.isNaN(ta) && ta !== tb) return sign * (ta - tb);
    return b.score - a.score || a.photo.id.localeCompare(b.photo.id);
  });
}

export interface PageRequest {
  offset: number;
  k: number;
  cutoff: boolean;
  order: ResultOrder;
}

/**
 * `ranked` is the window (best first, demoted hits at its end) followed by any further hits the
 * store returned; `relevant` counts the window's relevant head; `storeHasMore` says whether the
 * store holds more beyond `ranked`.
 */
export function pageOf<T extends RankedHit>(
  ranked: T[],
  relevant: number,
  window: number,
  storeHasMore: boolean,
  request: PageRequest,
): RankedPage<T> {
  const head = ranked.slice(0, relevant);
  // Beyond the window, date order has nothing to sort against: it ends with the window.
  const tail = request.order === "relevance" ? ranked.slice(relevant) : ranked.slice(relevant, window);
  const ordered = request.order === "relevance" ? [...head, ...tail] : [...byDate(head, request.order), ...byDate(tail, request.order)];
  const visible = request.cutoff ? head : ordered;
  const end = request.offset + request.k;
  const moreInStore = !request.cutoff && request.order === "relevance" && storeHasMore;
  return {
    hits: visible.slice(request.offset, end),
    hasMore: visible.length > end || moreInStore,
    relevant,
    lessRelevant: Math.min(ranked.length, window) - relevant,
  };
}
