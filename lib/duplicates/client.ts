/** The browser's side of the duplicates review: list with thresholds, remove from the library. */
import { parseApiResponse } from "@/lib/search/client";
import type { DuplicatesView } from "./review";

export type { DuplicatesView } from "./review";

export interface Thresholds {
  near: number;
  hash: number;
  burst: number;
  seconds: number;
}

export function duplicatesUrl(t: Thresholds): string {
  return `/api/duplicates?${new URLSearchParams(Object.entries(t).map(([k, v]) => [k, String(v)]))}`;
}

export async function fetchDuplicates(url: string): Promise<DuplicatesView> {
  return parseApiResponse(await fetch(url));
}

export async function removeFromLibrary(ids: string[]): Promise<{ removed: string[]; notFound: string[] }> {
  return parseApiResponse(
    await fetch("/api/duplicates/remove", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids }),
    }),
  );
}
