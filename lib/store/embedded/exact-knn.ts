/**
 * Exact k-nearest-neighbour search over a VectorMatrix, run by onnxruntime (SIMD GEMM + native
 * TopK; see scripts/onnx/generate_knn_graph.py). A JavaScript loop over 100k x 512 floats takes
 * about 80 ms on our 2-core machine; this takes about 7 ms (docs/embedded-store.md).
 */
import * as ort from "onnxruntime-node";
import { KNN_GRAPH_BASE64 } from "./knn-graph";

export interface ScoredRow {
  row: number;
  score: number;
}

let session: Promise<ort.InferenceSession> | undefined;

function knnSession(): Promise<ort.InferenceSession> {
  session ??= ort.InferenceSession.create(Buffer.from(KNN_GRAPH_BASE64, "base64"), {
    graphOptimizationLevel: "all",
  });
  return session;
}

/**
 * Scores every row against `query` and returns the best `k` rows, best first. `mask` holds 0 for
 * rows that may be returned and -Infinity for the rest; without it every row may be returned.
 */
export async function exactKnn(
  matrix: Float32Array,
  dims: number,
  query: Float32Array,
  k: number,
  mask?: Float32Array,
): Promise<ScoredRow[]> {
  const rows = matrix.length / dims;
  const limit = Math.min(k, rows);
  if (limit <= 0) return [];
  const feeds = {
    matrix: new ort.Tensor("float32", matrix, [rows, dims]),
    queries: new ort.Tensor("float32", query, [1, dims]),
    mask: new ort.Tensor("float32", mask ?? zeros(rows), [rows]),
    k: new ort.Tensor("int64", BigInt64Array.of(BigInt(limit)), [1]),
  };
  const out = await (await knnSession()).run(feeds);
  const values = out.values.data as Float32Array;
  const indices = out.indices.data as BigInt64Array;
  const result: ScoredRow[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] === Number.NEGATIVE_INFINITY) break; // fewer rows passed the filter than k
    result.push({ row: Number(indices[i]), score: values[i] });
  }
  return result;
}

let zeroMask = new Float32Array(0);

function zeros(rows: number): Float32Array {
  if (zeroMask.length < rows) zeroMask = new Float32Array(Math.max(rows, zeroMask.length * 2));
  return zeroMask.subarray(0, rows);
}
