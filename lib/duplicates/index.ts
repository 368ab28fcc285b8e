/**
 * Duplicates: near-identical copies (re-encoded, resized, lightly cropped: CLIP cosine and a
 * perceptual hash agree) and bursts (very similar, taken seconds apart). The store lists each photo
 * with its few nearest neighbours from an index (PhotoStore.neighbours: HNSW on both stores), so the
 * work grows with n log n, never n²; pairs above a threshold are joined into groups (union-find),
 * each labelled with its class.
 *
 * Identical files (the same bytes at several paths) are one photo (its id is the hash of its bytes)
 * that records every path it was found at: each is listed as an "identical" group of one photo with
 * its paths, found while walking the library, with no kNN at all.
 */
import type { Photo, PhotoStore } from "@/lib/store/types";
import { hammingDistance } from "./perceptual-hash";

export { differenceHash, hammingDistance } from "./perceptual-hash";

export type DuplicateClass = "identical" | "near-identical" | "burst";

export interface DuplicateOptions {
  /** Cosine at or above which two photos may be copies of one another. */
  nearCosine: number;
  /** Most differing bits of 64 in the perceptual hash for a copy. */
  maxHashDistance: number;
  /** Cosine at or above which two photos taken close together form a burst. */
  burstCosine: number;
  burstSeconds: number;
  /** Nearest neighbours asked for per photo. */
  neighbours: number;
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = {
  nearCosine: 0.95,
  maxHashDistance: 10,
  burstCosine: 0.85,
  burstSeconds: 30,
  neighbours: 8,
};

export interface DuplicateGroup {
  class: DuplicateClass;
  photos: Photo[];
  /** The lowest cosine that joined the group. */
  minCosine: number;
}

/** How a photo's perceptual hash is found (from its thumbnail, in the app). */
export type HashOf = (photo: Photo) => Promise<bigint | undefined>;

interface Edge {
  a: string;
  b: string;
  cosine: number;
  kind: DuplicateClass;
}

export async function findDuplicates(
  store: PhotoStore,
  hashOf: HashOf,
  options: Partial<DuplicateOptions> = {},
): Promise<DuplicateGroup[]> {
  const o = { ...DEFAULT_DUPLICATE_OPTIONS, ...options };
  const floor = Math.min(o.nearCosine, o.burstCosine);
  // Only photos that take part in a candidate pair are kept: a review of 100k photos holds few.
  const photos = new Map<string, Photo>();
  const pairs: { a: string; b: string; cosine: number }[] = [];
  const identical: DuplicateGroup[] = [];
  for await (const page of store.neighbours(o.neighbours)) {
    for (const { photo, hits } of page) {
      if (photo.copies?.length) identical.push({ class: "identical", photos: [photo], minCosine: 1 });
      for (const hit of hits) {
        if (hit.score < floor) continue;
        photos.set(photo.id, photo);
        // Each pair once, from either side (a neighbour list need not be symmetric).
        const [a, b] = photo.id < hit.id ? [photo.id, hit.id] : [hit.id, photo.id];
        pairs.push({ a, b, cosine: hit.score });
      }
    }
  }
  const edges = await classifyPairs(uniquePairs(pairs), photos, store, hashOf, o);
  return [...identical.sort((a, b) => b.photos[0]!.copies!.length - a.photos[0]!.copies!.length), ...group(edges, photos)];
}

function uniquePairs(pairs: { a: string; b: string; cosine: number }[]) {
  const seen = new Map<string, { a: string; b: string; cosine: number }>();
  for (const pair of pairs) if (!seen.has(`${pair.a} ${pair.b}`)) seen.set(`${pair.a} ${pair.b}`, pair);
  return [...seen.values()];
}

async function classifyPairs(
  pairs: { a: string; b: string; cosine: number }[],
  photos: Map<string, Photo>,
  store: PhotoStore,
  hashOf: HashOf,
  o: DuplicateOptions,
): Promise<Edge[]> {
  const hashes = new Map<string, bigint | undefined>();
  const hash = async (photo: Photo) => {
    if (!hashes.has(photo.id)) hashes.set(photo.id, await hashOf(photo));
    return hashes.get(photo.id);
  };
  const edges: Edge[] = [];
  for (const { a, b, cosine } of pairs) {
    const [pa, pb] = await Promise.all([photoOf(a, photos, store), photoOf(b, photos, store)]);
    if (!pa || !pb) continue; // removed during the review
    const kind = await classify(pa, pb, cosine, o, hash);
    if (kind) edges.push({ a, b, cosine, kind });
  }
  return edges;
}

/** A pair's other photo is usually kept already (near copies list each other); else it is read. */
async function photoOf(id: string, photos: Map<string, Photo>, store: PhotoStore): Promise<Photo | undefined> {
  if (!photos.has(id)) {
    const photo = await store.get(id);
    if (!photo) return undefined;
    photos.set(id, photo);
  }
  return photos.get(id);
}

async function classify(a: Photo, b: Photo, cosine: number, o: DuplicateOptions, hash: (p: Photo) => Promise<bigint | undefined>) {
  if (cosine >= o.nearCosine) {
    const [ha, hb] = await Promise.all([hash(a), hash(b)]);
    if (ha !== undefined && hb !== undefined && hammingDistance(ha, hb) <= o.maxHashDistance) return "near-identical";
  }
  if (cosine >= o.burstCosine && a.takenAt && b.takenAt) {
    const seconds = Math.abs(Date.parse(a.takenAt) - Date.parse(b.takenAt)) / 1000;
    if (seconds <= o.burstSeconds) return "burst";
  }
  return undefined;
}

/** Connected components per class; a photo already in a near-identical group is not also in a burst. */
function group(edges: Edge[], photos: Map<string, Photo>): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  const taken = new Set<string>();
  for (const kind of ["near-identical", "burst"] as const) {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      const p = parent.get(x)!;
      if (p === x) return x;
      const root = find(p);
      parent.set(x, root);
      return root;
    };
    const classEdges = edges.filter((e) => e.kind === kind && !taken.has(e.a) && !taken.has(e.b));
    for (const { a, b } of classEdges) {
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      parent.set(find(b), find(a));
    }
    const members = new Map<string, string[]>();
    for (const id of parent.keys()) members.set(find(id), [...(members.get(find(id)) ?? []), id]);
    for (const ids of members.values()) {
      ids.forEach((id) => taken.add(id));
      const inGroup = new Set(ids);
      const cosines = classEdges.filter((e) => inGroup.has(e.a)).map((e) => e.cosine);
      groups.push({ class: kind, photos: ids.map((id) => photos.get(id)!), minCosine: Math.min(...cosines) });
    }
  }
  return groups.sort((a, b) => b.photos.length - a.photos.length || a.minCosine - b.minCosine);
}
