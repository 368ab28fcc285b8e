import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomUnitVector, seededRandom } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { allowedRows } from "./filter-mask";
import { batchSize, exactKnn, type ExactVectors } from "./knn";
import { quantizeQuery, quantizeStored, STORED_RANGE } from "./quantize";
import { VectorMatrix } from "./vector-matrix";

const DIMS = 512;

function bruteForce(vectors: Map<string, Float32Array>, query: Float32Array, k: number, allow: (id: string) => boolean = () => true) {
  return [...vectors]
    .filter(([id]) => allow(id))
    .map(([id, v]) => ({ id, score: dot(v, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function recall(found: string[], expected: string[]): number {
  const truth = new Set(expected);
  return found.filter((id) => truth.has(id)).length / expected.length;
}

describe("int8 scan with exact fp32 rescoring", () => {
  const random = seededRandom(3);
  // Uniformly random unit vectors are the hard case for quantization: their best scores are
  // closer together than real photo vectors' are.
  const rows = 30_000;
  const matrix = new VectorMatrix(DIMS);
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < rows; i++) {
    const v = randomUnitVector(random, DIMS);
    vectors.set(`p${i}`, v);
    matrix.upsert(`p${i}`, v, { folder: i % 2 ? "odd" : "even" });
  }
  const exactVectors: ExactVectors = (found) => found.map((row) => vectors.get(matrix.idAt(row)));
  const ids = (found: { row: number }[]) => found.map((f) => matrix.idAt(f.row));

  it("holds a quarter of the fp32 bytes", () => {
    assert.equal(matrix.quantizedRows().byteLength, rows * DIMS);
  });

  it("reaches recall@10 of at least 0.99 against an exact fp32 scan, with exact scores", async () => {
    const queries = Array.from({ length: 40 }, () => randomUnitVector(random, DIMS));
    let total = 0;
    for (const query of queries) {
      const found = await exactKnn(matrix, query, 10, { exactVectors });
      const expected = bruteForce(vectors, query, 10);
      total += recall(
        ids(found),
        expected.map((e) => e.id),
      );
      // Every returned score is the fp32 inner product, not the int8 estimate.
      for (const f of found) assert.ok(Math.abs(f.score - dot(vectors.get(matrix.idAt(f.row))!, query)) < 1e-6);
      for (let i = 1; i < found.length; i++) assert.ok(found[i - 1]!.score >= found[i]!.score);
    }
    assert.ok(total / queries.length >= 0.99, `recall@10 ${total / queries.length}`);
  });

  it("gives concurrent queries (scanned together) the same answers as one by one", async () => {
    const queries = Array.from({ length: 20 }, () => randomUnitVector(random, DIMS)); // more than one batch
    const ks = queries.map((_, i) => 1 + (i % 7) * 5);
    const together = await Promise.all(queries.map((q, i) => exactKnn(matrix, q, ks[i]!, { exactVectors })));
    for (const [i, q] of queries.entries()) {
      const alone = await exactKnn(matrix, q, ks[i]!, { exactVectors });
      assert.deepEqual(ids(together[i]!), ids(alone), `query ${i}`);
      assert.equal(alone.length, ks[i]);
    }
  });

  it("finds every stored vector first when queried with itself", async () => {
    for (const id of ["p0", "p12345", `p${rows - 1}`]) {
      const [best] = await exactKnn(matrix, vectors.get(id)!, 1, { exactVectors });
      assert.equal(matrix.idAt(best!.row), id);
      assert.ok(Math.abs(best!.score - 1) < 1e-5);
    }
  });

  it("returns only allowed rows, exactly when they are few and with the same recall when many", async () => {
    const query = randomUnitVector(random, DIMS);
    const odd = allowedRows(matrix, (row) => Number(matrix.idAt(row).slice(1)) % 2 === 1);
    const found = await exactKnn(matrix, query, 15, { exactVectors, allowed: odd });
    const expected = bruteForce(vectors, query, 15, (id) => Number(id.slice(1)) % 2 === 1);
    assert.ok(ids(found).every((id) => Number(id.slice(1)) % 2 === 1));
    assert.ok(
      recall(
        ids(found),
        expected.map((e) => e.id),
      ) >= 0.9,
    );

    const few = allowedRows(matrix, (row) => Number(matrix.idAt(row).slice(1)) % 1000 === 7);
    const exact = await exactKnn(matrix, query, 5, { exactVectors, allowed: few });
    assert.deepEqual(
      ids(exact),
      bruteForce(vectors, query, 5, (id) => Number(id.slice(1)) % 1000 === 7).map((e) => e.id),
    );
  });

  it("stays correct after removals move rows", async () => {
    for (const id of ["p0", "p17000", `p${rows - 5}`, "p123"]) {
      matrix.remove(id);
      vectors.delete(id);
    }
    assert.equal(matrix.size, rows - 4);
    const moved = matrix.idAt(0); // the last row now sits where p0 was
    const [best] = await exactKnn(matrix, vectors.get(moved)!, 1, { exactVectors });
    assert.equal(matrix.idAt(best!.row), moved);
    const query = vectors.get("p5")!;
    const found = await exactKnn(matrix, query, 25, { exactVectors });
    assert.ok(
      recall(
        ids(found),
        bruteForce(vectors, query, 25).map((e) => e.id),
      ) >= 0.96,
    );
    assert.ok(!ids(found).some((id) => ["p0", "p17000", "p123"].includes(id)));
  });

  it("skips a candidate whose exact vector is gone (deleted by another process since the scan)", async () => {
    const query = vectors.get("p5")!;
    const found = await exactKnn(matrix, query, 3, {
      exactVectors: (rs) => rs.map((row) => (matrix.idAt(row) === "p5" ? undefined : vectors.get(matrix.idAt(row)))),
    });
    assert.equal(found.length, 3);
    assert.ok(!ids(found).includes("p5"));
  });
});

describe("quantization", () => {
  it("clips components beyond the stored range instead of wrapping around", () => {
    const v = new Float32Array(4).fill(0);
    v[0] = 0.9;
    v[1] = -0.9;
    v[2] = STORED_RANGE / 2;
    const out = new Int8Array(4);
    quantizeStored(v, out, 0);
    assert.deepEqual(Array.from(out), [127, -127, 64, 0]);
  });

  it("gives a query its own full scale", () => {
    assert.deepEqual(Array.from(quantizeQuery(Float32Array.of(0.1, -0.025, 0))), [127, -32, 0]);
  });
});

describe("scan sharing", () => {
  it("shares a scan between fewer waiting queries as the matrix grows, never fewer than one", () => {
    assert.equal(batchSize(0), 16);
    assert.equal(batchSize(100_000), 16);
    assert.equal(batchSize(1_000_000), 2);
    assert.equal(batchSize(5_000_000), 1);
  });
});
