/**
 * Exact kNN in the embedded store, beside its baselines, at 10k and 100k synthetic unit vectors
 * (fixed seed): a plain JavaScript loop, and onnxruntime's SIMD scan as the store runs it, with and
 * without a filter mask. Prints a JSON line per measurement. Used by docs/embedded-store.md.
 */
import { exactKnn } from "@/lib/store/embedded/exact-knn";
import { buildMask } from "@/lib/store/embedded/filter-mask";
import { VectorMatrix } from "@/lib/store/embedded/vector-matrix";
import { randomUnitVector, seededRandom } from "@/lib/testing";

const DIMS = 512;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function time(runs: number, fn: () => Promise<unknown> | unknown) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

/** The baseline a hand-written store would use: a dot product per row and a running top-k. */
function jsLoop(matrix: Float32Array, query: Float32Array, k: number) {
  const rows = matrix.length / DIMS;
  const best: { row: number; score: number }[] = [];
  let threshold = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * DIMS;
    for (let d = 0; d < DIMS; d++) s += matrix[o + d] * query[d];
    if (s <= threshold) continue;
    best.push({ row: r, score: s });
    best.sort((a, b) => b.score - a.score);
    if (best.length > k) best.pop();
    if (best.length === k) threshold = best[k - 1].score;
  }
  return best;
}

for (const rows of [10_000, 100_000]) {
  const random = seededRandom(rows);
  const matrix = new Float32Array(rows * DIMS);
  for (let r = 0; r < rows; r++) matrix.set(randomUnitVector(random, DIMS), r * DIMS);
  const query = randomUnitVector(random, DIMS);
  const store = new VectorMatrix(DIMS);
  for (let r = 0; r < rows; r++) store.upsert(`p${r}`, matrix.subarray(r * DIMS, (r + 1) * DIMS), { folder: "f" });
  const mask = buildMask(store, (row) => row % 2 === 1);
  const runs = rows > 50_000 ? 30 : 100;
  const results = {
    rows,
    jsLoop: await time(Math.min(runs, 10), () => jsLoop(matrix, query, 10)),
    onnx: await time(runs, () => exactKnn(store, query, 10)),
    onnxFiltered: await time(runs, () => exactKnn(store, query, 10, mask)),
  };
  console.log(JSON.stringify(results));
}
