/**
 * k-nearest-neighbour search over the embedded store, exact in result: an int8 scan of every
 * quantized vector (usearch's SIMD kernels on every core) picks candidates, and the candidates are
 * rescored with their fp32 vectors from SQLite. A large library's unfiltered queries take their
 * candidates from a graph index instead (library-graph.ts), rescored the same way. The int8 scan reads a quarter of the bytes an fp32
 * scan reads, and its error (about 1% of a score) only decides which rows reach the rescoring:
 * oversampling keeps the true top k among them (recall@10 against exact fp32 is measured in
 * knn.test.ts and scripts/bench/embedded-scale.ts). docs/embedded-store.md has the measurements.
 */
import os from "node:os";
import { exactSearch, MetricKind, type BatchMatches, type Matches } from "usearch";
import { dot } from "@/lib/vector";
import { quantizeQuery } from "./quantize";
import type { VectorMatrix } from "./vector-matrix";

export interface ScoredRow {
  /**
   * The photo's matrix row when it was scanned. Rows move when photos are removed (by a sync while
   * a search awaited its rescoring): after an await, go by `id`.
   */
  row: number;
  id: string;
  score: number;
}

/** Reads the exact fp32 vectors of rows (undefined for a row that is gone). */
export type ExactVectors = (rows: readonly number[]) => (Float32Array | undefined)[];

/**
 * Exact scores of candidates, undefined for one that is gone, computed by their owner (the store:
 * by rowid, perhaps in another thread). `ids` are the rows' photos when scanned: the rows may have
 * moved by the answer.
 */
export type ExactScores = (rows: readonly number[], ids: readonly string[], query: Float32Array) => Promise<(number | undefined)[]>;

/** How candidates get their exact scores: from their vectors, here, or from a scorer of their own. */
export type KnnOptions = KnnCandidates &
  ({ exactVectors: ExactVectors; exactScores?: never } | { exactScores: ExactScores; exactVectors?: never });

interface KnnCandidates {
  /** Only these rows may be returned (a filter's result); all rows when absent. */
  allowed?: Int32Array;
  /**
   * Candidates of an unfiltered query from a graph index (library-graph.ts), or undefined when
   * there is none (yet): then every row is scanned.
   */
  graph?: (query: Float32Array, quantized: Int8Array, count: number) => number[] | undefined;
}

/**
 * Candidates rescored for a top-k: the k best by the int8 scan and a margin. The margin covers the
 * photos whose int8 score lies within the quantization error of the k-th best, which depends on how
 * densely scores crowd there more than on k. On the bench's synthetic unit vectors (the hardest
 * case: their top scores lie closest together), 200 queries, the true top k needed at most 5 extra
 * for k = 10, 8 for k = 31 and 43 for k = 201 at 100,000 rows, and 7, 18 and 24 at 300,000; knn.test.ts
 * checks recall against brute force. 110 + k/4 keeps twice the worst seen: 122 for k = 10 (recall@10
 * 1.0 up to a million rows with the earlier 2k + 100 = 120), 361 for the relevance window's 201
 * (502 before, each an fp32 vector read from SQLite).
 */
export function candidateCount(k: number): number {
  return k + 110 + Math.floor(k / 4);
}

/**
 * Scores rows against `query` and returns the best `k`, best first, with exact fp32 scores.
 * Unfiltered queries that arrive while a scan runs are scanned together in the next one.
 */
export async function exactKnn(matrix: VectorMatrix, query: Float32Array, k: number, options: KnnOptions): Promise<ScoredRow[]> {
  if (k <= 0 || matrix.size === 0) return [];
  const count = candidateCount(k);
  const quantized = quantizeQuery(query);
  const candidates = options.allowed
    ? filteredCandidates(matrix, quantized, count, options.allowed)
    : (options.graph?.(query, quantized, count) ?? (await batcherOf(matrix).search(quantized, count)));
  const ids = candidates.map((row) => matrix.idAt(row)); // before any await: rows may move
  const scores = options.exactScores
    ? await options.exactScores(candidates, ids, query)
    : options.exactVectors(candidates).map((vector) => vector && dot(vector, query));
  return best(candidates, ids, scores, k);
}

/** The best k scored candidates, best first, ties broken by row for a stable order; unscored ones are gone. */
function best(rows: readonly number[], ids: readonly string[], scores: readonly (number | undefined)[], k: number): ScoredRow[] {
  const scored: ScoredRow[] = [];
  rows.forEach((row, i) => {
    const score = scores[i];
    if (score !== undefined) scored.push({ row, id: ids[i]!, score });
  });
  return scored.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k);
}

const threads = os.availableParallelism();

/** The best `count` rows of `rows` (row-major int8, `dims` wide) for each query, by int8 inner product. */
function scanInt8(rows: Int8Array, dims: number, queries: Int8Array[], count: number): number[][] {
  const available = rows.length / dims;
  const take = Math.min(count, available);
  if (take === 0) return queries.map(() => []);
  const packed = new Int8Array(queries.length * dims);
  queries.forEach((q, i) => packed.set(q, i * dims));
  const found = exactSearch(rows, packed, dims, take, MetricKind.IP, threads);
  if (queries.length === 1) return [Array.from((found as Matches).keys, Number)];
  const batch = found as BatchMatches;
  return queries.map((_, i) => Array.from(batch.keys.subarray(i * take, i * take + Number(batch.counts[i])), Number));
}

/** Rows gathered per scan of a filtered search: bounds the scratch copy at 16 MB for 512 dims. */
const GATHER_ROWS = 32_768;

/**
 * Candidates among the allowed rows (a filter's, or the photos a graph index does not hold yet). When they are few, all of them are rescored (exact); else
 * they are gathered a chunk at a time into a scratch buffer and scanned, and the chunks' best merged.
 */
export function filteredCandidates(matrix: VectorMatrix, query: Int8Array, count: number, allowed: Int32Array): number[] {
  if (allowed.length <= count) return Array.from(allowed);
  const { dims } = matrix;
  const source = matrix.quantizedRows();
  const scratch = new Int8Array(Math.min(GATHER_ROWS, allowed.length) * dims);
  const best: { row: number; score: number }[] = [];
  for (let start = 0; start < allowed.length; start += GATHER_ROWS) {
    const chunk = allowed.subarray(start, start + GATHER_ROWS);
    chunk.forEach((row, i) => scratch.set(source.subarray(row * dims, (row + 1) * dims), i * dims));
    const [local = []] = scanInt8(scratch.subarray(0, chunk.length * dims), dims, [query], count);
    for (const i of local) {
      const row = chunk[i]!;
      best.push({ row, score: int8Dot(source, row * dims, query) });
    }
  }
  return best
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, count)
    .map((c) => c.row);
}

/** The int8 inner product of the row at `offset` in `rows` with `query`: the scan's ranking score. */
export function int8Dot(rows: Int8Array, offset: number, query: Int8Array): number {
  let sum = 0;
  for (let d = 0; d < query.length; d++) sum += rows[offset + d]! * query[d]!;
  return sum;
}

/** Queries scanned together at most. */
const MAX_BATCH = 16;
/**
 * Rows × queries per scan at most. usearch's exactSearch writes a 16-byte (row, distance) entry per
 * pair into a matrix it then transposes and sorts: once that matrix outgrows the caches, sharing a
 * scan costs more than it saves. CPU time per query at a million rows (2 cores, 2026-12-02): 25 ms
 * alone, 17 ms two at a time, 25 ms four, 28 ms eight, 34 ms sixteen; at 100,000 rows sixteen
 * together still cost less each than one alone. So 2 at a million, 16 up to 131,072 rows.
 */
const MAX_BATCH_PAIRS = 2_097_152;

/** How many waiting queries share one scan of `rows` rows. */
export function batchSize(rows: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_BATCH_PAIRS / Math.max(rows, 1))));
}

interface Waiting {
  query: Int8Array;
  count: number;
  resolve: (rows: number[]) => void;
  reject: (error: unknown) => void;
}

const batchers = new WeakMap<VectorMatrix, ScanBatcher>();

function batcherOf(matrix: VectorMatrix): ScanBatcher {
  let batcher = batchers.get(matrix);
  if (!batcher) batchers.set(matrix, (batcher = new ScanBatcher(matrix)));
  return batcher;
}

/**
 * Shares scans between waiting queries. The scan is synchronous native code, so the batcher yields
 * to the event loop between scans: requests that arrived meanwhile join the next scan instead of
 * each paying for a pass over the whole matrix. An idle store starts a query at once.
 */
class ScanBatcher {
  private readonly waiting: Waiting[] = [];
  private scanning = false;

  constructor(private readonly matrix: VectorMatrix) {}

  search(query: Int8Array, count: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ query, count, resolve, reject });
      if (!this.scanning) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.scanning = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, batchSize(this.matrix.size));
      try {
        const count = Math.max(...batch.map((w) => w.count));
        const found = scanInt8(
          this.matrix.quantizedRows(),
          this.matrix.dims,
          batch.map((w) => w.query),
          count,
        );
        batch.forEach((w, i) => w.resolve((found[i] ?? []).slice(0, w.count)));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.scanning = false;
  }
}
