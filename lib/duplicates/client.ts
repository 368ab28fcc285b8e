/** The browser's side of the duplicates review: list with thresholds, remove from the library. */
import { parseApiResponse } from "@/lib/search/client";
import type { DuplicatesView, GraphBuilding } from "./review";

export type { DuplicatesView, GraphBuilding } from "./review";

export interface Thresholds {
  near: number;
  hash: number;
  burst: number;
  seconds: number;
}

export function duplicatesUrl(t: Thresholds): string {
  return `/api/duplicates?${new URLSearchParams(Object.entries(t).map(([k, v]) => [k, String(v)]))}`;
}

/** The review, or (202) how far the library's neighbour graph has got: ask again. */
export async function fetchDuplicates(url: string): Promise<DuplicatesView | GraphBuilding> {
  return parseApiResponse(await fetch(url));
}

/** A review without the photos just removed (groups left with one photo are no longer duplicates). */
export function withoutPhotos(view: DuplicatesView, removed: readonly string[]): DuplicatesView {
  const gone = new Set(removed);
  const groups = view.groups
    .map((group) => ({ ...group, photos: group.photos.filter((photo) => !gone.has(photo.id)) }))
    .filter((group) => group.photos.length >= (group.class === "identical" ? 1 : 2));
  const byClass: Record<string, number> = {};
  for (const group of groups) byClass[group.class] = (byClass[group.class] ?? 0) + 1;
  return { ...view, groups, byClass };
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
