/**
 * The embedded store's fp32 scan before it quantized its matrix, kept as the benchmark's same-run baseline.
 *
 * Exact k-nearest-neighbour search over a VectorMatrix, run by onnxruntime (SIMD MatMul and native
 * TopK; see scripts/onnx/generate_knn_graph.py) one column block at a time, then merged. A plain
 * JavaScript loop over 100k x 512 floats takes about 120 ms on our 2-core machine; this stays near
 * the memory-bandwidth floor (docs/embedded-store.md).
 */
import os from "node:os";
import * as ort from "onnxruntime-node";
import { KNN_GRAPH_BASE64 } from "./fp32-knn-graph";
import { BLOCK_COLUMNS, type VectorMatrix } from "./fp32-matrix";

export interface ScoredRow {
  row: number;
  score: number;
}

let session: Promise<ort.InferenceSession> | undefined;

function knnSession(): Promise<ort.InferenceSession> {
  session ??= ort.InferenceSession.create(Buffer.from(KNN_GRAPH_BASE64, "base64"), {
    graphOptimizationLevel: "all",
    // onnxruntime's default counts physical cores (1 on a 2-vCPU machine); the scan splits cleanly.
    intraOpNumThreads: os.availableParallelism(),
  });
  return session;
}

const NO_MASK = new Float32Array(BLOCK_COLUMNS);
let tailMask = { used: -1, mask: NO_MASK };

/** The mask of a partly filled last block: its unused columns must never be returned. */
function maskForTail(used: number): Float32Array {
  if (tailMask.used !== used) {
    const mask = new Float32Array(BLOCK_COLUMNS);
    mask.fill(Number.NEGATIVE_INFINITY, used);
    tailMask = { used, mask };
  }
  return tailMask.mask;
}

/** Queries scanned together at most. */
const MAX_BATCH = 16;
/**
 * Queries scanned together at least. One query runs onnxruntime's matrix-vector kernel, which
 * streams the block once; two or more run its GEMM, which first copies the block into packed panels.
 * Measured at 100k x 512 on our 2-core machine: one scan of 1 query 12.9 ms, of 2 45.6 ms, of 4
 * 46.7 ms, of 8 50.7 ms, of 16 59.8 ms. Below 4 waiting queries, scanning them one by one is faster.
 */
const MIN_BATCH = 4;

/**
 * Scores every row against `query` and returns the best `k` rows, best first. `mask`, indexed by
 * row, holds 0 for rows that may be returned and -Infinity for the rest (see buildMask).
 *
 * Unfiltered queries that arrive while a scan is running wait for it; once MIN_BATCH or more are
 * waiting they are scanned together (16 cost less than 5 single scans), so throughput under
 * concurrent load grows with the batch. An idle store starts a query at once, so a single user
 * waits for nothing.
 */
export function exactKnn(matrix: VectorMatrix, query: Float32Array, k: number, mask?: Float32Array): Promise<ScoredRow[]> {
  if (k <= 0 || matrix.size === 0) return Promise.resolve([]);
  if (mask) return scan(matrix, [query], k, mask).then(([rows]) => rows ?? []);
  let batcher = batchers.get(matrix);
  if (!batcher) batchers.set(matrix, (batcher = new ScanBatcher(matrix)));
  return batcher.search(query, k);
}

interface Waiting {
  query: Float32Array;
  k: number;
  resolve: (rows: ScoredRow[]) => void;
  reject: (error: unknown) => void;
}

const batchers = new WeakMap<VectorMatrix, ScanBatcher>();

class ScanBatcher {
  private readonly waiting: Waiting[] = [];
  private scanning = false;

  constructor(private readonly matrix: VectorMatrix) {}

  search(query: Float32Array, k: number): Promise<ScoredRow[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ query, k, resolve, reject });
      if (!this.scanning) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.scanning = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.waiting.length >= MIN_BATCH ? MAX_BATCH : 1);
      try {
        const found = await scan(
          this.matrix,
          batch.map((w) => w.query),
          Math.max(...batch.map((w) => w.k)),
        );
        batch.forEach((w, i) => w.resolve((found[i] ?? []).slice(0, w.k)));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.scanning = false;
  }
}

/** One pass over the matrix scoring every query: per block, MatMul [queries x dims] x [dims x block] and TopK. */
async function scan(matrix: VectorMatrix, queries: Float32Array[], k: number, mask?: Float32Array): Promise<ScoredRow[][]> {
  const { dims, size } = matrix;
  const found: ScoredRow[][] = queries.map(() => []);
  if (size === 0) return found;
  const runner = await knnSession();
  const packed = new Float32Array(queries.length * dims);
  queries.forEach((q, i) => packed.set(q, i * dims));
  const queryTensor = new ort.Tensor("float32", packed, [queries.length, dims]);
  const perBlock = Math.min(k, BLOCK_COLUMNS);
  const kTensor = new ort.Tensor("int64", BigInt64Array.of(BigInt(perBlock)), [1]);
  const blocks = matrix.columnBlocks();
  for (const [b, block] of blocks.entries()) {
    const first = b * BLOCK_COLUMNS;
    const used = Math.min(BLOCK_COLUMNS, size - first);
    if (used <= 0) break;
    const blockMask = mask ? mask.subarray(first, first + BLOCK_COLUMNS) : used === BLOCK_COLUMNS ? NO_MASK : maskForTail(used);
    const out = await runner.run({
      queries: queryTensor,
      columns: new ort.Tensor("float32", block, [dims, BLOCK_COLUMNS]),
      mask: new ort.Tensor("float32", blockMask, [BLOCK_COLUMNS]),
      k: kTensor,
    });
    const values = out.values!.data as Float32Array;
    const indices = out.indices!.data as BigInt64Array;
    found.forEach((rows, q) => {
      for (let i = q * perBlock; i < (q + 1) * perBlock && values[i] !== Number.NEGATIVE_INFINITY; i++) {
        rows.push({ row: first + Number(indices[i]), score: values[i]! });
      }
    });
  }
  return found.map((rows) => rows.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k));
}
