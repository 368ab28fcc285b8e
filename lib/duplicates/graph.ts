/**
 * The expensive half of a duplicates review: every photo's nearest others from the store's index
 * (PhotoStore.neighbours, n kNN searches), kept as the candidate pairs at or above a cosine floor,
 * best first, with the photos they join and the photos recorded at several paths. Any thresholds at
 * or above the floor are then a regrouping of these pairs (groupDuplicates), with no kNN at all.
 */
import type { NeighbourProgress, Photo, PhotoStore } from "@/lib/store/types";

export interface CandidatePair {
  /** The smaller id of the two. */
  a: string;
  b: string;
  cosine: number;
}

export interface NeighbourGraph {
  /** Nearest neighbours asked for per photo. */
  k: number;
  /** Every pair among those neighbour lists at or above this cosine is in `pairs`. */
  floor: number;
  /** Each pair once (a neighbour list need not be symmetric), best first. */
  pairs: CandidatePair[];
  /** The photos of those pairs (only these are held: a review of 100k photos holds few). */
  photos: Map<string, Photo>;
  /** Photos whose bytes were found at more than one path. */
  identical: Photo[];
}

/** Photos read at once for pairs whose other photo did not come with a neighbour list of its own. */
const READS_IN_FLIGHT = 16;

export async function buildNeighbourGraph(
  store: PhotoStore,
  k: number,
  floor: number,
  onProgress?: (progress: NeighbourProgress) => void,
): Promise<NeighbourGraph> {
  const photos = new Map<string, Photo>();
  const pairs = new Map<string, CandidatePair>();
  const identical: Photo[] = [];
  for await (const page of store.neighbours(k, onProgress)) {
    for (const { photo, hits } of page) {
      if (photo.copies?.length) identical.push(photo);
      for (const hit of hits) {
        if (hit.score < floor) continue;
        photos.set(photo.id, photo);
        const [a, b] = photo.id < hit.id ? [photo.id, hit.id] : [hit.id, photo.id];
        if (!pairs.has(`${a} ${b}`)) pairs.set(`${a} ${b}`, { a, b, cosine: hit.score });
      }
    }
  }
  await readMissing(store, [...pairs.values()], photos);
  return {
    k,
    floor,
    // A pair whose photo was removed during the pass is left out.
    pairs: [...pairs.values()].filter(({ a, b }) => photos.has(a) && photos.has(b)).sort((x, y) => y.cosine - x.cosine),
    photos,
    identical,
  };
}

/** A pair's other photo is usually held already (near copies list each other); the rest are read. */
async function readMissing(store: PhotoStore, pairs: CandidatePair[], photos: Map<string, Photo>): Promise<void> {
  const missing = [...new Set(pairs.flatMap(({ a, b }) => [a, b]))].filter((id) => !photos.has(id));
  for (let i = 0; i < missing.length; i += READS_IN_FLIGHT) {
    const read = await Promise.all(missing.slice(i, i + READS_IN_FLIGHT).map((id) => store.get(id)));
    for (const photo of read) if (photo) photos.set(photo.id, photo);
  }
}
