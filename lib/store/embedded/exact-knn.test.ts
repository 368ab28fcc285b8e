import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomUnitVector, seededRandom } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { exactKnn } from "./exact-knn";
import { buildMask } from "./filter-mask";
import { BLOCK_COLUMNS, VectorMatrix } from "./vector-matrix";

const DIMS = 512;

function bruteForce(vectors: Map<string, Float32Array>, query: Float32Array, k: number, allow: (id: string) => boolean = () => true) {
  return [...vectors]
    .filter(([id]) => allow(id))
    .map(([id, v]) => ({ id, score: dot(v, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

describe("exact kNN over column blocks", () => {
  const random = seededRandom(3);
  const rows = 2 * BLOCK_COLUMNS + 2_000; // three blocks, the last one mostly empty
  const matrix = new VectorMatrix(DIMS);
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < rows; i++) {
    const v = randomUnitVector(random, DIMS);
    vectors.set(`p${i}`, v);
    matrix.upsert(`p${i}`, v, { folder: i % 2 ? "odd" : "even" });
  }

  it("returns the same rows and scores as a brute-force scan", async () => {
    for (let q = 0; q < 3; q++) {
      const query = randomUnitVector(random, DIMS);
      const found = await exactKnn(matrix, query, 20);
      const expected = bruteForce(vectors, query, 20);
      assert.deepEqual(
        found.map((f) => matrix.idAt(f.row)),
        expected.map((e) => e.id),
      );
      found.forEach((f, i) => assert.ok(Math.abs(f.score - expected[i]!.score) < 1e-5));
    }
  });

  it("answers concurrent queries with different k exactly, scanned together", async () => {
    const queries = Array.from({ length: 20 }, () => randomUnitVector(random, DIMS)); // more than one batch
    const found = await Promise.all(queries.map((q, i) => exactKnn(matrix, q, 1 + (i % 7) * 5)));
    queries.forEach((q, i) => {
      const expected = bruteForce(vectors, q, 1 + (i % 7) * 5);
      assert.deepEqual(
        found[i]!.map((f) => matrix.idAt(f.row)),
        expected.map((e) => e.id),
        `query ${i}`,
      );
    });
  });

  it("finds a vector stored in the last block by itself", async () => {
    const id = `p${rows - 1}`;
    const [best] = await exactKnn(matrix, vectors.get(id)!, 1);
    assert.equal(matrix.idAt(best!.row), id);
    assert.deepEqual(Array.from(matrix.vectorOf(id)!), Array.from(vectors.get(id)!));
  });

  it("honours a filter mask across blocks", async () => {
    const query = randomUnitVector(random, DIMS);
    const mask = buildMask(matrix, (row) => Number(matrix.idAt(row).slice(1)) % 2 === 1);
    const found = await exactKnn(matrix, query, 15, mask);
    const expected = bruteForce(vectors, query, 15, (id) => Number(id.slice(1)) % 2 === 1);
    assert.deepEqual(
      found.map((f) => matrix.idAt(f.row)),
      expected.map((e) => e.id),
    );
  });

  it("stays exact after removals move rows between blocks", async () => {
    for (const id of ["p0", "p17000", `p${rows - 5}`, "p123"]) {
      matrix.remove(id);
      vectors.delete(id);
    }
    assert.equal(matrix.size, rows - 4);
    const query = vectors.get("p5")!;
    const found = await exactKnn(matrix, query, 25);
    assert.deepEqual(
      found.map((f) => matrix.idAt(f.row)),
      bruteForce(vectors, query, 25).map((e) => e.id),
    );
    const moved = matrix.idAt(0); // the last row now sits where p0 was
    assert.deepEqual(Array.from(matrix.vectorOf(moved)!), Array.from(vectors.get(moved)!));
  });
});
