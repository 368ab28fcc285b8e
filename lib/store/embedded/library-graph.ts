/**
 * The store's graph index over its int8 matrix (graph-index.ts) through its life: built only for
 * a library of `minRows` photos or more, once it is first searched (command-line tools that never
 * search never pay for it); loaded from beside the database when a saved one is there
 * (graph-file.ts), else built in the background a chunk at a time, so the event loop keeps
 * answering (with the exact scan) meanwhile; kept in step with every change the store applies to
 * the matrix (pending photos are scanned exactly, then folded in); built again once a quarter of
 * its entries went stale; saved after each build and, when much was folded in since, on close.
 */
import { log } from "@/lib/log";
import { saveGraph, loadGraph, removeOldGraphs } from "./graph-file";
import { GraphIndex } from "./graph-index";
import { filteredCandidates } from "./knn";
import type { VectorMatrix } from "./vector-matrix";

export interface LibraryGraphOptions {
  dataDir: string;
  /** Smaller libraries keep the exact scan. */
  minRows: number;
  /** The token of the saved graph the database names, if any. */
  savedToken: () => string | undefined;
  /** Names a newly saved graph in the database. */
  nameSaved: (token: string) => Promise<void>;
}

export interface GraphInfo {
  state: "none" | "building" | "ready";
  /** Where the ready graph came from. */
  origin?: "file" | "built";
  /** Seconds its build or load took (the build's wall time, with the event loop answering between chunks). */
  seconds?: number;
  entries: number;
  pending: number;
}

/**
 * How long one native call that adds rows may hold the event loop. Rows are added in chunks sized
 * from the last call's time: a fixed 128 rows held it for up to 1.9 s (p99 1.0 s) while 100,000
 * photos were added on a machine at a load average of 10.
 */
const CHUNK_MS = 50;
/** Rebuild once this share of the graph's entries went stale (their photo changed or was removed). */
const REBUILD_STALE = 0.25;
/** Entries folded in since the last save before close() saves again (else the next start folds them again). */
const SAVE_AFTER_SHARE = 0.05;

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

export class LibraryGraph {
  private current?: GraphIndex;
  /** A graph being built while `current` (if any) answers; it receives changes too. */
  private next?: GraphIndex;
  private work?: Promise<void>;
  private closed = false;
  private failed = false;
  private foldedSinceSave = 0;
  private origin?: "file" | "built";
  private seconds?: number;
  private readonly chunk = new ChunkSize();

  constructor(
    private readonly matrix: VectorMatrix,
    private readonly options: LibraryGraphOptions,
  ) {}

  /** A photo was added or its int8 vector changed (`present`), or it was removed. */
  changed(id: string, present: boolean): void {
    this.current?.changed(id, present);
    this.next?.changed(id, present);
  }

  /**
   * Candidate rows for an unfiltered query (fp32, and int8 as the scan takes it): the graph's, plus
   * the best of the pending rows by an exact scan. Undefined while there is no graph (the caller
   * scans everything); asking starts one for a library large enough.
   */
  candidates(vector: Float32Array, query: Int8Array, count: number): number[] | undefined {
    this.maintain();
    const graph = this.current;
    if (!graph) return undefined;
    const found = graph.search(vector, query, count);
    if (graph.pending.size === 0) return found;
    const pendingRows = Int32Array.from(
      [...graph.pending].flatMap((id) => {
        const row = this.matrix.rowIndex(id);
        return row === undefined ? [] : [row];
      }),
    );
    return [...new Set([...found, ...filteredCandidates(this.matrix, query, count, pendingRows)])];
  }

  /** Starts the graph if the library is large enough and waits until it is ready and holds every photo; for tests and the benchmark. */
  async ready(): Promise<boolean> {
    for (;;) {
      this.maintain();
      if (!this.work) return Boolean(this.current) && this.current!.pending.size === 0;
      await this.work;
    }
  }

  info(): GraphInfo {
    const graph = this.current;
    return {
      state: graph ? "ready" : this.work ? "building" : "none",
      ...(this.origin ? { origin: this.origin, seconds: this.seconds } : {}),
      entries: graph?.size ?? 0,
      pending: graph?.pending.size ?? 0,
    };
  }

  /** Stops background work at its next chunk (the matrix is being replaced). */
  stop(): void {
    this.closed = true;
  }

  /** Stops background work and saves the graph when much was folded in since it was last saved. */
  async close(): Promise<void> {
    this.closed = true;
    await this.work;
    const graph = this.current;
    if (graph && !this.failed && this.foldedSinceSave > 0 && this.foldedSinceSave >= graph.size * SAVE_AFTER_SHARE) await this.save(graph);
  }

  /** Starts what the graph needs next, if nothing runs: a first load or build, a rebuild, or folding pending photos in. */
  private maintain(): void {
    if (this.work || this.closed || this.failed) return;
    const graph = this.current;
    if (!graph) {
      if (this.matrix.size >= this.options.minRows) this.run(() => this.loadOrBuild());
    } else if (graph.stale > graph.size * REBUILD_STALE) {
      this.run(() => this.build());
    } else if (graph.pending.size > 0) {
      this.run(() => this.fold(graph));
    }
  }

  private run(task: () => Promise<void>): void {
    this.work = (async () => {
      await yieldToEventLoop(); // never inside the query that asked
      try {
        await task();
      } catch (error) {
        this.failed = true; // the exact scan answers from now on; no retry loop
        this.next = undefined;
        log("warn", "the graph index failed; searches scan every photo", { dataDir: this.options.dataDir, error: String(error) });
      }
    })().finally(() => (this.work = undefined));
  }

  private async loadOrBuild(): Promise<void> {
    const token = this.options.savedToken();
    if (token) {
      const started = performance.now();
      try {
        const loaded = loadGraph(this.options.dataDir, token, this.matrix);
        if (loaded) return this.use(loaded, "file", started);
      } catch (error) {
        log("warn", "could not load the graph index saved beside the library; building it again", {
          dataDir: this.options.dataDir,
          error: String(error),
        });
      }
    }
    await this.build();
  }

  private async build(): Promise<void> {
    const started = performance.now();
    const graph = new GraphIndex(this.matrix);
    this.next = graph;
    // The photos as of now; any change from here on reaches the new graph's pending set.
    const ids = Array.from({ length: this.matrix.size }, (_, row) => this.matrix.idAt(row));
    for (let start = 0; start < ids.length;) {
      if (this.closed) return;
      const size = this.chunk.size;
      this.chunk.time(() => graph.add(ids.slice(start, start + size)));
      start += size;
      await yieldToEventLoop();
    }
    if (this.closed) return;
    this.next = undefined;
    this.use(graph, "built", started);
    await this.save(graph);
  }

  private use(graph: GraphIndex, origin: "file" | "built", started: number): void {
    this.current = graph;
    this.origin = origin;
    this.seconds = Math.round((performance.now() - started) / 100) / 10;
  }

  private async fold(graph: GraphIndex): Promise<void> {
    while (graph.pending.size > 0 && !this.closed && this.current === graph) {
      const ids: string[] = [];
      for (const id of graph.pending) {
        ids.push(id);
        if (ids.length === this.chunk.size) break;
      }
      this.chunk.time(() => graph.add(ids));
      this.foldedSinceSave += ids.length;
      await yieldToEventLoop();
    }
  }

  /** Saves the graph and names it in the database; a failure only costs the next start a build. */
  private async save(graph: GraphIndex): Promise<void> {
    const { dataDir } = this.options;
    try {
      const replaced = this.options.savedToken();
      const token = await saveGraph(dataDir, graph, this.matrix.dims);
      await this.options.nameSaved(token);
      this.foldedSinceSave = 0;
      removeOldGraphs(dataDir, token, replaced);
    } catch (error) {
      log("warn", "could not save the graph index beside the library; the next start builds it again", { dataDir, error: String(error) });
    }
  }
}

/** Rows per native add call, adjusted after each call so that one takes about CHUNK_MS. */
class ChunkSize {
  size = 16;

  time(add: () => void): void {
    const started = performance.now();
    add();
    const took = Math.max(performance.now() - started, 1);
    this.size = Math.max(4, Math.min(2_048, Math.round((this.size * CHUNK_MS) / took)));
  }
}
