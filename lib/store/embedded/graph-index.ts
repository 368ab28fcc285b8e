/**
 * One HNSW graph over the int8 matrix's rows (usearch's `Index`, the library whose exact kernels
 * the scan already uses), for the unfiltered searches of a large library: a search visits a few
 * thousand rows instead of reading all of them (at a million photos the scan reads 0.5 GB per
 * query). The graph only picks candidates; knn.ts rescores them with their exact fp32 vectors.
 *
 * The graph must never answer from a stale state, so every entry records a hash of the int8 row it
 * was added with, and a graph hit counts only while its photo's current row still hashes the same.
 * Photos whose current row the graph does not hold yet (added or changed since: `pending`, fed by
 * every change the store applies to the matrix, its own or another process's) are scanned exactly
 * beside the graph, and folded into it in the background (library-graph.ts). An entry that went
 * stale stays in the graph (usearch only marks removals) until the graph is rebuilt.
 */
import os from "node:os";
import { Index, MetricKind, ScalarKind, type Matches } from "usearch";
import type { VectorMatrix } from "./vector-matrix";

/**
 * HNSW settings. 16 links per node and expansion 128 while adding are the duplicates pass's
 * (neighbours.ts). A search's beam is the larger of `expansion_search` and the results asked for,
 * so `search` widens it by asking for more (beamWidth) and keeps the best `count`.
 */
export const GRAPH_SETTINGS = { connectivity: 16, expansion_add: 128, expansion_search: 128 } as const;

/**
 * The search beam for a graph of `size` entries: HNSW needs a wider one as it grows. On the bench's
 * clustered vectors (2026-12-02, in memory, 100 queries, candidates 120): at 100,000 photos recall@10
 * was 1.0 from a beam of 120 on; at a million 0.955-0.959 with 120-128, 0.990 with 200-256 and 0.991
 * with 384-512 (the same 9 queries each missing one photo: the graph's own limit). A beam of 384
 * costs about three times 128, so it widens with the size: 128 up to 250,000 entries, 384 from 750,000.
 */
export function beamWidth(size: number): number {
  return Math.min(384, Math.max(128, Math.round((128 * size) / 250_000)));
}

const threads = os.availableParallelism();

export function newIndex(dims: number): Index {
  return new Index({ dimensions: dims, metric: MetricKind.Cos, quantization: ScalarKind.I8, multi: false, ...GRAPH_SETTINGS });
}

/** What a graph holds besides usearch's file: the photo of each key and the hash of the row it was added with. */
export interface GraphKeys {
  ids: string[];
  hashes: Uint32Array;
}

export class GraphIndex {
  /** Photos whose current row may be missing from the graph: scanned exactly until folded in. */
  readonly pending = new Set<string>();
  private readonly ids: string[];
  private hashes: Uint32Array;

  constructor(
    private readonly matrix: VectorMatrix,
    readonly index: Index = newIndex(matrix.dims),
    keys: GraphKeys = { ids: [], hashes: new Uint32Array(1024) },
  ) {
    this.ids = keys.ids;
    this.hashes = keys.hashes;
  }

  /** Entries in the graph, stale ones included. */
  get size(): number {
    return this.ids.length;
  }

  /** The keys' photos and row hashes, for saving (views, no copies). */
  keys(): GraphKeys {
    return { ids: this.ids, hashes: this.hashes.subarray(0, this.ids.length) };
  }

  /** Entries that no longer match their photo's row, approximately (rebuild when they grow). */
  get stale(): number {
    return Math.max(0, this.ids.length - (this.matrix.size - this.pending.size));
  }

  /** A photo was added or its vector changed (true), or it was removed (false). */
  changed(id: string, present: boolean): void {
    if (present) this.pending.add(id);
    else this.pending.delete(id);
  }

  /**
   * Adds the current rows of `ids` (those still in the matrix) under new keys, and takes them off
   * `pending`. Synchronous: the rows cannot change between being read and being recorded.
   */
  add(ids: readonly string[]): void {
    const { dims } = this.matrix;
    const source = this.matrix.quantizedRows();
    const present = ids.filter((id) => this.matrix.rowIndex(id) !== undefined);
    for (const id of ids) this.pending.delete(id);
    if (present.length === 0) return;
    const rows = new Int8Array(present.length * dims);
    const first = this.ids.length;
    this.ensureCapacity(first + present.length);
    present.forEach((id, i) => {
      const row = this.matrix.rowIndex(id)!;
      rows.set(source.subarray(row * dims, (row + 1) * dims), i * dims);
      this.hashes[first + i] = rowHash(this.matrix, row);
      this.ids.push(id);
    });
    this.index.add(
      BigUint64Array.from(present, (_, i) => BigInt(first + i)),
      rows,
      threads,
    );
  }

  /**
   * The rows of the graph's best `count` entries for `query` (int8) that still match their
   * photo's current row. Pending rows are not among them: the caller scans those exactly.
   */
  search(query: Int8Array, count: number): number[] {
    if (this.ids.length === 0) return [];
    // Stale entries take places among the results: ask for proportionally more.
    const live = Math.max(1, this.ids.length - this.stale);
    const wanted = Math.ceil((count * this.ids.length) / live);
    const found = this.index.search(query, Math.min(this.ids.length, Math.max(wanted, beamWidth(this.ids.length))), 1) as Matches;
    const rows = new Set<number>();
    for (const key of found.keys) {
      // Best first: the beam's tail beyond the candidates asked for is not rescored.
      if (rows.size === count) break;
      const row = this.currentRow(Number(key));
      if (row !== undefined) rows.add(row);
    }
    return [...rows];
  }

  /** The matrix row of a key's photo when it still holds the vector the key was added with. */
  currentRow(key: number): number | undefined {
    const id = this.ids[key];
    const row = id === undefined ? undefined : this.matrix.rowIndex(id);
    return row !== undefined && rowHash(this.matrix, row) === this.hashes[key] ? row : undefined;
  }

  private ensureCapacity(entries: number): void {
    if (entries <= this.hashes.length) return;
    const grown = new Uint32Array(Math.max(entries, this.hashes.length * 2));
    grown.set(this.hashes);
    this.hashes = grown;
  }
}

/** FNV-1a over a row's int8 bytes (as 32-bit words when aligned): tells whether a row changed. */
export function rowHash(matrix: VectorMatrix, row: number): number {
  const { dims } = matrix;
  const rows = matrix.quantizedRows();
  const offset = rows.byteOffset + row * dims;
  let hash = 0x811c9dc5;
  if (dims % 4 === 0 && offset % 4 === 0) {
    const words = new Int32Array(rows.buffer, offset, dims / 4);
    for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i]!, 0x01000193);
  } else {
    for (let d = 0; d < dims; d++) hash = Math.imul(hash ^ rows[row * dims + d]!, 0x01000193);
  }
  return hash >>> 0;
}
