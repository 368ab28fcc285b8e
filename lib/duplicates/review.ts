/**
 * The duplicates review as the routes and the CLI serve it: groups with their class and each photo's
 * paths, and "remove from library" (index entries and thumbnails only: files are never touched, not
 * even uploads, so a removal is undone by ingesting the folder again).
 */
import fs from "node:fs";
import { appContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { removePhotos } from "@/lib/ingest/remove";
import { thumbnailPath } from "@/lib/ingest/thumbnails";
import { isPhotoId, PHOTO_ID_RULE } from "@/lib/store/photo-id";
import type { NeighbourProgress, Photo } from "@/lib/store/types";
import { NeighbourGraphCache, type CachedGraph, type GraphBuilding } from "./cache";
import { candidateFloor, differenceHash, groupDuplicates, type DuplicateOptions } from "./index";

/** Most photos one removal request may name. */
export const MAX_REMOVE_IDS = 500;

export interface DuplicatePhotoView {
  id: string;
  name: string;
  path: string;
  /** Every place the library knows these bytes at, the stored one first. */
  paths: string[];
  takenAt?: string;
  width: number;
  height: number;
  bytes: number;
}

export type { GraphBuilding } from "./cache";

export interface DuplicatesView {
  options: DuplicateOptions;
  groups: { class: string; minCosine: number; photos: DuplicatePhotoView[] }[];
  byClass: Record<string, number>;
}

const photoView = (photo: Photo): DuplicatePhotoView => ({
  id: photo.id,
  name: photo.name,
  path: photo.path,
  paths: [photo.path, ...(photo.copies ?? []).map((c) => c.path)],
  takenAt: photo.takenAt,
  width: photo.width,
  height: photo.height,
  bytes: photo.bytes,
});

/**
 * One cache per process (on globalThis: Next bundles each route apart, and dev-mode reloads would
 * otherwise start a new one), holding each store's newest neighbour graph.
 */
const GRAPHS = Symbol.for("photo-search.duplicates-graphs");
const shared = globalThis as { [GRAPHS]?: NeighbourGraphCache };

/** A photo's perceptual hash from its thumbnail (none yet: undefined, and it is not a near copy). */
async function thumbnailHash(photo: { id: string }): Promise<bigint | undefined> {
  const file = thumbnailPath(appContext().cfg.dataDir, photo.id);
  return fs.existsSync(file) ? differenceHash(file) : undefined;
}

function graphCache(): NeighbourGraphCache {
  return (shared[GRAPHS] ??= new NeighbourGraphCache(thumbnailHash));
}

/**
 * The review for these thresholds, regrouped from the library's cached neighbour graph (built when
 * the library changed, which at 100k photos takes minutes: `onProgress` hears how far it has got).
 */
export async function reviewDuplicates(
  options: DuplicateOptions,
  onProgress?: (progress: NeighbourProgress) => void,
): Promise<DuplicatesView> {
  const { store } = appContext();
  return viewOf(await graphCache().graph(store, options.neighbours, candidateFloor(options), onProgress), options);
}

/** The review if the graph is ready within `waitMs` (its build started if need be), else how far the build has got. */
export async function reviewDuplicatesWithin(options: DuplicateOptions, waitMs: number): Promise<DuplicatesView | GraphBuilding> {
  const { store } = appContext();
  const found = await graphCache().graphWithin(store, options.neighbours, candidateFloor(options), waitMs);
  return "building" in found ? found : viewOf(found, options);
}

async function viewOf({ graph, hashOf }: CachedGraph, options: DuplicateOptions): Promise<DuplicatesView> {
  const groups = (await groupDuplicates(graph, hashOf, options)).map((g) => ({
    class: g.class,
    minCosine: Math.round(g.minCosine * 1e4) / 1e4,
    photos: g.photos.map(photoView),
  }));
  const byClass: Record<string, number> = {};
  for (const g of groups) byClass[g.class] = (byClass[g.class] ?? 0) + 1;
  return { options, groups, byClass };
}

/** Takes photos out of the library (index and thumbnails); their files stay where they are. */
export async function removeFromLibrary(body: unknown): Promise<{ removed: string[]; notFound: string[] }> {
  const ids = (body as { ids?: unknown } | null)?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_REMOVE_IDS)
    throw badRequest(`ids must be a list of 1-${MAX_REMOVE_IDS} photo ids`);
  for (const id of ids) if (typeof id !== "string" || !isPhotoId(id)) throw badRequest(`each id must be ${PHOTO_ID_RULE}`);
  const { removed, notFound } = await removePhotos(appContext(), ids as string[], { keepFiles: true });
  return { removed: removed.map((p) => p.id), notFound };
}
