/**
 * Duplicates: near-identical copies (re-encoded, resized, lightly cropped: CLIP cosine and a
 * perceptual hash agree) and bursts (very similar, taken seconds apart). The store lists each photo
 * with its few nearest neighbours from an index (PhotoStore.neighbours: HNSW on both stores), so the
 * work grows with n log n, never n²; the candidate pairs form a neighbour graph (graph.ts), and pairs
 * above a threshold are joined into groups (union-find), each labelled with its class. The graph is
 * the expensive part: the app builds it once per library state (cache.ts) and regroups it for every
 * threshold preview.
 *
 * Identical files (the same bytes at several paths) are one photo (its id is the hash of its bytes)
 * that records every path it was found at: each is listed as an "identical" group of one photo with
 * its paths, found while walking the library, with no kNN at all.
 */
import type { Photo, PhotoStore } from "@/lib/store/types";
import { buildNeighbourGraph, type NeighbourGraph } from "./graph";
import { hammingDistance } from "./perceptual-hash";

export { differenceHash, hammingDistance } from "./perceptual-hash";
export { buildNeighbourGraph, type NeighbourGraph } from "./graph";
export { NeighbourGraphCache } from "./cache";

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

/** The lowest cosine any class of these options looks at: the neighbour graph must hold every pair above it. */
export function candidateFloor(options: DuplicateOptions): number {
  return Math.min(options.nearCosine, options.burstCosine);
}

/** A whole review: the neighbour graph (n kNN searches), then the groups (see cache.ts to build it once per library state). */
export async function findDuplicates(
  store: PhotoStore,
  hashOf: HashOf,
  options: Partial<DuplicateOptions> = {},
): Promise<DuplicateGroup[]> {
  const o = { ...DEFAULT_DUPLICATE_OPTIONS, ...options };
  return groupDuplicates(await buildNeighbourGraph(store, o.neighbours, candidateFloor(o)), hashOf, o);
}

/**
 * The groups one set of thresholds makes of a neighbour graph: no kNN, only the pairs above the
 * thresholds' floor classified (a perceptual hash for the near ones) and joined. The graph must have
 * been built down to that floor.
 */
export async function groupDuplicates(
  graph: NeighbourGraph,
  hashOf: HashOf,
  options: Partial<DuplicateOptions> = {},
): Promise<DuplicateGroup[]> {
  const o = { ...DEFAULT_DUPLICATE_OPTIONS, ...options };
  const floor = candidateFloor(o);
  if (floor < graph.floor) throw new Error(`the neighbour graph holds pairs from cosine ${graph.floor}, not ${floor}`);
  const hashes = new Map<string, Promise<bigint | undefined>>();
  const hash = (photo: Photo) => {
    if (!hashes.has(photo.id)) hashes.set(photo.id, hashOf(photo));
    return hashes.get(photo.id)!;
  };
  const edges: Edge[] = [];
  for (const { a, b, cosine } of graph.pairs) {
    if (cosine < floor) break; // best first: the rest are lower
    const kind = await classify(graph.photos.get(a)!, graph.photos.get(b)!, cosine, o, hash);
    if (kind) edges.push({ a, b, cosine, kind });
  }
  const identical = [...graph.identical]
    .sort((x, y) => y.copies!.length - x.copies!.length)
    .map((photo): DuplicateGroup => ({ class: "identical", photos: [photo], minCosine: 1 }));
  return [...identical, ...group(edges, graph.photos)];
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
