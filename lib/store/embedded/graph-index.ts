/**
 * One HNSW graph over 1-bit codes of the int8 matrix's rows (usearch's `Index` with the Hamming
 * metric, 64 bytes a photo at 512 dims), for the unfiltered searches of a large library: a search
 * visits a few thousand codes instead of reading every row (at a million photos the scan reads
 * 0.5 GB per query). The graph only picks a pool of candidates: they are re-ranked by their int8
 * rows read from the matrix (the scan's own score), and the best are rescored with their exact fp32
 * vectors by knn.ts. usearch keeps its own copy of whatever it indexes (its JavaScript binding can
 * neither read the matrix's memory nor hand vectors back), so indexing bits instead of the int8 rows
 * keeps that copy at an eighth of the matrix: at a million photos 61 MB instead of 488 MB.
 *
 * A code is the sign of a vector minus the library's centre, per dimension: the mean of the rows
 * when the graph was built, kept with the graph and saved in its file (a photo added later is coded
 * with the same centre, and so is every query). Real CLIP vectors are not centred on zero, and raw
 * signs of a dimension whose values all lie on one side of zero say nothing. Queries are centred
 * too: on the bench's clustered vectors moved off zero by a shared offset (100,000 photos, pools of
 * 20-80 codes re-ranked to 20 candidates), recall@10 was 0.49 / 0.73 / 0.96 with both sides
 * centred, 0.41 / 0.68 / 0.95 with neither, 0.37 / 0.63 / 0.92 with the photos only. A text query's
 * own mean differs from the photos' (CLIP's modality gap), which biases its codes' distances by
 * −centre·x; the int8 re-ranking of a pool several times the rescored count absorbs that.
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
import { int8Dot } from "./knn";
import { STORED_RANGE } from "./quantize";
import type { VectorMatrix } from "./vector-matrix";

/**
 * HNSW settings: 32 links per node, expansion 128 while adding. With the duplicates pass's 16 links
 * (neighbours.ts) the graph of the bench's million never reached about one in a hundred of the true
 * top 10s, whatever the pool (the same ones from 1,000 to 6,000 codes: photos too few links lead
 * to), while the exact Hamming top 1,000 held all but one of the 1,000. In memory, 100 queries,
 * recall@10 against exact fp32 after the int8 re-ranking and fp32 rescoring (2026-12-02, load 4-9),
 * 16 links against 32 on the same codes: pool 800 0.981 / 0.988, 1,000 0.989 / 0.999, 1,500 0.990 /
 * 1.0, 3,000 0.991 / 1.0 (the exact Hamming top as many: 0.988 / 0.999 / 1.0 / 1.0; an earlier
 * 16-link build: 0.972 / 0.979 / 0.980 / 0.981 from 800 / 1,200 / 2,000 / 3,000); with 32 links the
 * graph loses nothing the codes keep. Expansion 256 while adding gave the same recall. The cost
 * is the build (2 threads: 16 links 154 s alone at load 2-3; 32 links 573 s, with expansion 256
 * 530 s, those two built side by side at load 4-9), the links (usearch's file 203 against 324 MB)
 * and the search (pool 1,000: p50 1.9 against 2.1 ms). A search's beam is the larger of
 * `expansion_search` and the results asked for, so `search` widens it by asking for a larger pool
 * (poolSize).
 */
export const GRAPH_SETTINGS = { connectivity: 32, expansion_add: 128, expansion_search: 128 } as const;

/**
 * Candidates taken from the graph for a graph of `size` entries, re-ranked by their int8 rows
 * before the best `count` are rescored: Hamming distances between sign bits order photos far more
 * coarsely than int8 scores, so the pool is many times the rescored count. 1,000, and 1,000 per
 * million beyond a million (not measured there). What the pool must cover is the true neighbours'
 * spread in Hamming distance, not the library: on the bench's vectors (1,000 photos around each
 * centre, noise 0.8) the true top 10 lie anywhere among their centre's photos, up to the 1,001st
 * code by Hamming distance. In memory, 100 queries, recall@10 against exact fp32 (2026-12-02): the
 * bench's 100,000 photos (100 a centre) 1.0 from a pool of 150 on (load 9-14); its million (1,000 a
 * centre, 32 links) 0.999 / 1.0 / 1.0 from 1,000 / 1,500 / 3,000, and a graph built with expansion
 * 256 0.839 / 0.950 / 0.988 / 0.999 / 1.0 from 400 / 600 / 800 / 1,000 / 1,500 (load 4-9), the
 * exact Hamming top as many 0.842 / 0.952 / 0.988 / 0.999 / 1.0: the last miss at 1,000 was the
 * 1,001st code. Searching the pool took 2.1 ms (p50) at 1,000 and 7.0 ms at 1,500.
 */
export function poolSize(size: number, count: number): number {
  return Math.max(count, 1_000, Math.round((1_000 * size) / 1_000_000));
}

/** Rows sampled for the library's centre: plenty for a per-dimension mean (its error about 1% of a component's spread), and read in ~10 ms, on the event loop, when a build starts. */
const CENTRE_SAMPLE = 16_384;

/** The per-dimension mean of the matrix's int8 rows (of an even sample of them), the codes' threshold. */
export function libraryCentre(matrix: VectorMatrix): Float32Array {
  const { dims, size } = matrix;
  const rows = matrix.quantizedRows();
  const sums = new Float64Array(dims);
  const sampled = Math.min(size, CENTRE_SAMPLE);
  for (let i = 0; i < sampled; i++) {
    const offset = Math.floor((i * size) / sampled) * dims;
    for (let d = 0; d < dims; d++) sums[d]! += rows[offset + d]!;
  }
  return Float32Array.from(sums, (sum) => (sampled === 0 ? 0 : sum / sampled));
}

const threads = os.availableParallelism();

export function newIndex(dims: number): Index {
  return new Index({ dimensions: dims, metric: MetricKind.Hamming, quantization: ScalarKind.B1, multi: false, ...GRAPH_SETTINGS });
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

  /**
   * `centre` is the threshold of the photos' codes: the library's mean for a new graph, the saved
   * one for a loaded graph (its codes were taken with it, and so must every code added to it).
   */
  constructor(
    private readonly matrix: VectorMatrix,
    readonly index: Index = newIndex(matrix.dims),
    keys: GraphKeys = { ids: [], hashes: new Uint32Array(1024) },
    readonly centre: Float32Array = libraryCentre(matrix),
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
    const present = ids.filter((id) => this.matrix.rowIndex(id) !== undefined);
    for (const id of ids) this.pending.delete(id);
    if (present.length === 0) return;
    const codes = new Float32Array(present.length * dims);
    const first = this.ids.length;
    this.ensureCapacity(first + present.length);
    present.forEach((id, i) => {
      const row = this.matrix.rowIndex(id)!;
      this.writeCode(row, codes, i * dims);
      this.hashes[first + i] = rowHash(this.matrix, row);
      this.ids.push(id);
    });
    this.index.add(
      BigUint64Array.from(present, (_, i) => BigInt(first + i)),
      codes,
      threads,
    );
  }

  /**
   * The rows of the best `count` entries for `vector` (`query` is its int8 form, knn.ts's) that
   * still match their photo's current row: a pool of the graph's nearest codes, re-ranked by the
   * int8 inner product of their rows. Pending rows are not among them: the caller scans those exactly.
   */
  search(vector: Float32Array, query: Int8Array, count: number): number[] {
    if (this.ids.length === 0) return [];
    // Stale entries take places in the pool: ask for proportionally more.
    const live = Math.max(1, this.ids.length - this.stale);
    const pool = Math.ceil((poolSize(this.ids.length, count) * this.ids.length) / live);
    const found = this.index.search(this.queryCode(vector), Math.min(this.ids.length, pool), 1) as Matches;
    const { dims } = this.matrix;
    const rows = this.matrix.quantizedRows();
    const scored = new Map<number, number>();
    for (const key of found.keys) {
      const row = this.currentRow(Number(key));
      if (row !== undefined && !scored.has(row)) scored.set(row, int8Dot(rows, row * dims, query));
    }
    return [...scored]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, count)
      .map(([row]) => row);
  }

  /**
   * Whether a live entry finds itself at distance 0 when searched with its row's code: the usearch
   * file holds this keys file's entries, coded with this centre, under the Hamming metric.
   */
  holdsItsCode(key: number): boolean {
    const row = this.currentRow(key);
    if (row === undefined) return false;
    const code = new Float32Array(this.matrix.dims);
    this.writeCode(row, code, 0);
    const found = this.index.search(code, Math.min(this.ids.length, 16), 1) as Matches;
    return found.keys.some((k, i) => Number(k) === key && found.distances[i] === 0);
  }

  /** A query's code: its components at the rows' stored scale against the centre. */
  private queryCode(vector: Float32Array): Float32Array {
    const scale = 127 / STORED_RANGE;
    return Float32Array.from(vector, (x, d) => (x * scale > this.centre[d]! ? 1 : 0));
  }

  /** A row's code, one value a dimension: 1 above the centre, 0 below (usearch sets a bit for a value > 0). */
  private writeCode(row: number, out: Float32Array, offset: number): void {
    const { dims } = this.matrix;
    const source = this.matrix.quantizedRows();
    for (let d = 0; d < dims; d++) out[offset + d] = source[row * dims + d]! > this.centre[d]! ? 1 : 0;
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
