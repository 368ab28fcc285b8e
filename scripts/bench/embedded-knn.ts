/**
 * The fp32 scan the embedded store ran before int8 (scripts/bench/baseline), beside its baselines, at 10k and 100k synthetic unit vectors
 * (fixed seed): a plain JavaScript loop, and onnxruntime's SIMD scan as the store runs it, with and
 * without a filter mask. Prints a JSON line per measurement. Used by docs/embedded-store.md.
 */
import { exactKnn } from "./baseline/fp32-knn";
import { buildMask } from "./baseline/fp32-mask";
import { VectorMatrix } from "./baseline/fp32-matrix";
import { randomUnitVector, seededRandom } from "@/lib/testing";
import { jsLoopTopK, time } from "./measure";

const DIMS = 512;

for (const rows of [10_000, 100_000]) {
  const random = seededRandom(rows);
  const matrix = new Float32Array(rows * DIMS);
  for (let r = 0; r < rows; r++) matrix.set(randomUnitVector(random, DIMS), r * DIMS);
  const query = randomUnitVector(random, DIMS);
  const vectors = Array.from({ length: rows }, (_, r) => matrix.subarray(r * DIMS, (r + 1) * DIMS));
  const store = new VectorMatrix(DIMS);
  vectors.forEach((v, r) => store.upsert(`p${r}`, v, { folder: "f" }));
  const mask = buildMask(store, (row) => row % 2 === 1);
  const runs = rows > 50_000 ? 30 : 100;
  const results = {
    rows,
    jsLoop: await time(Math.min(runs, 10), () => jsLoopTopK(vectors, query, 10)),
    onnx: await time(runs, () => exactKnn(store, query, 10)),
    onnxFiltered: await time(runs, () => exactKnn(store, query, 10, mask)),
  };
  console.log(JSON.stringify(results));
}
