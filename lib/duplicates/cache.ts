/**
 * The neighbour graph of a duplicates review, built once per library state and reused: a threshold
 * preview only regroups it (groupDuplicates), and requests that arrive while it is being built wait
 * for the same build. The store's change token (PhotoStore.changeToken) says when the library
 * changed (an ingest, an upload, a removal, in this process or another): the next request builds
 * again. The token is read before the build starts, so a write during a build shows up as a new
 * token at the next request rather than being missed.
 *
 * A build takes minutes at 100k photos: it keeps its latest progress, so a request that should not
 * wait that long (the review page) can answer "still building, this far" and ask again.
 */
import type { NeighbourProgress, Photo, PhotoStore } from "@/lib/store/types";
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

/** A build still under way: how far it has got (before the store's first report: indexing, 0 of 0). */
export interface GraphBuilding {
  building: NeighbourProgress;
}

type Listener = (progress: NeighbourProgress) => void;

interface Entry {
  token: string;
  floor: number;
  built: Promise<CachedGraph>;
  /** The build's latest progress, and who is listening for the next. */
  progress: { latest: NeighbourProgress; listeners: Set<Listener> };
}

export class NeighbourGraphCache {
  /** Per store, per neighbours asked (k): the newest graph. */
  private readonly entries = new WeakMap<PhotoStore, Map<number, Entry>>();

  constructor(
    private readonly hashOf: (photo: Photo) => Promise<bigint | undefined>,
    private readonly build: typeof buildNeighbourGraph = buildNeighbourGraph,
  ) {}

  /**
   * A graph of the store's current photos with `k` neighbours each, holding every pair at or above
   * `floor`; waits for a build under way (or starts one), telling `onProgress` how far it gets.
   */
  async graph(store: PhotoStore, k: number, floor: number, onProgress?: Listener): Promise<CachedGraph> {
    const { built, progress } = await this.entry(store, k, floor);
    if (!onProgress) return built;
    progress.listeners.add(onProgress);
    onProgress(progress.latest);
    try {
      return await built;
    } finally {
      progress.listeners.delete(onProgress);
    }
  }

  /** The graph if it is ready within `waitMs` (started if need be), else how far its build has got. */
  async graphWithin(store: PhotoStore, k: number, floor: number, waitMs: number): Promise<CachedGraph | GraphBuilding> {
    const entry = await this.entry(store, k, floor);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), waitMs)));
    try {
      const first = await Promise.race([entry.built, timeout]);
      return first === "timeout" ? { building: { ...entry.progress.latest } } : first;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The entry for the store's current state: the cached one, or a build started now. */
  private async entry(store: PhotoStore, k: number, floor: number): Promise<Entry> {
    const token = await store.changeToken();
    let byK = this.entries.get(store);
    if (!byK) this.entries.set(store, (byK = new Map()));
    const current = byK.get(k);
    if (current && current.token === token && current.floor <= floor) return current;
    const lowest = Math.min(floor, GRAPH_FLOOR);
    const progress: Entry["progress"] = { latest: { phase: "indexing", done: 0, total: 0 }, listeners: new Set() };
    const built = this.start(store, k, lowest, (latest) => {
      progress.latest = latest;
      for (const listener of progress.listeners) listener(latest);
    });
    const entry: Entry = { token, floor: lowest, built, progress };
    byK.set(k, entry);
    // A failed build is not kept: the next request tries again.
    entry.built.catch(() => {
      if (byK.get(k) === entry) byK.delete(k);
    });
    return entry;
  }

  private async start(store: PhotoStore, k: number, floor: number, onProgress: Listener): Promise<CachedGraph> {
    const graph = await this.build(store, k, floor, onProgress);
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
