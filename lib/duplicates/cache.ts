/**
 * The neighbour graph of a duplicates review, built once per library state and reused: a threshold
 * preview only regroups it (groupDuplicates), and requests that arrive while it is being built wait
 * for the same build. The store's change token (PhotoStore.changeToken) says when the library
 * changed (an ingest, an upload, a removal, in this process or another): the next request builds
 * again. The token is read before the build starts, so a write during a build shows up as a new
 * token at the next request rather than being missed.
 */
import type { Photo, PhotoStore } from "@/lib/store/types";
import { buildNeighbourGraph, type NeighbourGraph } from "./graph";

/**
 * A graph is built down to this cosine at least (lower when a request asks for less), so that every
 * slider position of the review page (near ≥ 0.8, burst ≥ 0.7) is a regrouping of the same graph.
 */
export const GRAPH_FLOOR = 0.7;

export interface CachedGraph {
  graph: NeighbourGraph;
  /** Perceptual hashes by photo id, computed once per graph (a photo's id is the hash of its bytes). */
  hashOf: (photo: Photo) => Promise<bigint | undefined>;
}

interface Entry {
  token: string;
  floor: number;
  built: Promise<CachedGraph>;
}

export class NeighbourGraphCache {
  /** Per store, per neighbours asked (k): the newest graph. */
  private readonly entries = new WeakMap<PhotoStore, Map<number, Entry>>();

  constructor(
    private readonly hashOf: (photo: Photo) => Promise<bigint | undefined>,
    private readonly build: typeof buildNeighbourGraph = buildNeighbourGraph,
  ) {}

  /** A graph of the store's current photos with `k` neighbours each, holding every pair at or above `floor`. */
  async graph(store: PhotoStore, k: number, floor: number): Promise<CachedGraph> {
    const token = await store.changeToken();
    let byK = this.entries.get(store);
    if (!byK) this.entries.set(store, (byK = new Map()));
    const current = byK.get(k);
    if (current && current.token === token && current.floor <= floor) return current.built;
    const entry: Entry = { token, floor: Math.min(floor, GRAPH_FLOOR), built: this.start(store, k, Math.min(floor, GRAPH_FLOOR)) };
    byK.set(k, entry);
    // A failed build is not kept: the next request tries again.
    entry.built.catch(() => {
      if (byK.get(k) === entry) byK.delete(k);
    });
    return entry.built;
  }

  private async start(store: PhotoStore, k: number, floor: number): Promise<CachedGraph> {
    const graph = await this.build(store, k, floor);
    const hashes = new Map<string, Promise<bigint | undefined>>();
    const hashOf = (photo: Photo) => {
      if (!hashes.has(photo.id)) {
        const hash = this.hashOf(photo);
        hashes.set(photo.id, hash);
        hash.catch(() => hashes.delete(photo.id)); // an unreadable thumbnail is read again next time
      }
      return hashes.get(photo.id)!;
    };
    return { graph, hashOf };
  }
}
