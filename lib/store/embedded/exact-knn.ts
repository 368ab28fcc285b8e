/**
 * Exact k-nearest-neighbour search over a VectorMatrix, run by onnxruntime (SIMD MatMul and native
 * TopK; see scripts/onnx/generate_knn_graph.py) one column block at a time, then merged. A plain
 * JavaScript loop over 100k x 512 floats takes about 120 ms on our 2-core machine; this stays near
 * the memory-bandwidth floor (docs/embedded-store.md).
 */
import os from "node:os";
import * as ort from "onnxruntime-node";
import { KNN_GRAPH_BASE64 } from "./knn-graph";
import { BLOCK_COLUMNS, type VectorMatrix } from "./vector-matrix";

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

/**
 * Scores every row against `query` and returns the best `k` rows, best first. `mask`, indexed by
 * row, holds 0 for rows that may be returned and -Infinity for the rest (see buildMask).
 */
export async function exactKnn(matrix: VectorMatrix, query: Float32Array, k: number, mask?: Float32Array): Promise<ScoredRow[]> {
  const { dims, size } = matrix;
  if (k <= 0 || size === 0) return [];
  const runner = await knnSession();
  const queries = new ort.Tensor("float32", query, [1, dims]);
  const perBlock = new ort.Tensor("int64", BigInt64Array.of(BigInt(Math.min(k, BLOCK_COLUMNS))), [1]);
  const found: ScoredRow[] = [];
  const blocks = matrix.columnBlocks();
  for (let b = 0; b < blocks.length; b++) {
    const first = b * BLOCK_COLUMNS;
    const used = Math.min(BLOCK_COLUMNS, size - first);
    if (used <= 0) break;
    const blockMask = mask ? mask.subarray(first, first + BLOCK_COLUMNS) : used === BLOCK_COLUMNS ? NO_MASK : maskForTail(used);
    const out = await runner.run({
      queries,
      columns: new ort.Tensor("float32", blocks[b], [dims, BLOCK_COLUMNS]),
      mask: new ort.Tensor("float32", blockMask, [BLOCK_COLUMNS]),
      k: perBlock,
    });
    const values = out.values.data as Float32Array;
    const indices = out.indices.data as BigInt64Array;
    for (let i = 0; i < values.length && values[i] !== Number.NEGATIVE_INFINITY; i++) {
      found.push({ row: first + Number(indices[i]), score: values[i] });
    }
  }
  return found.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k);
}
