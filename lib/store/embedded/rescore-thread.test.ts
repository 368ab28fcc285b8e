/**
 * The rescoring thread of a large library (its threshold lowered here): searches answer exactly what
 * scoring on the main thread answers, stay right while another process deletes and adds photos,
 * and fall back to the main thread when no thread can read the library.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { photoRecord, randomUnitVector, seededRandom, tempDir } from "@/lib/testing";
import type { PhotoRecord } from "@/lib/store/types";
import { dot } from "@/lib/vector";
import { EmbeddedStore } from "./index";
import { RescoreThread } from "./rescore-thread";

const DIMS = 32;
const MODEL = { modelId: "test/rescore", dims: DIMS };

function photos(count: number, seed: number, prefix = "p"): PhotoRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) =>
    photoRecord({
      id: `${prefix}${i}`,
      path: `${prefix}${i}.jpg`,
      takenAt: `2020-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`,
      vector: randomUnitVector(random, DIMS),
    }),
  );
}

const threaded = (dir: string) => new EmbeddedStore(dir, { rescoreThreadMinRows: 1 });
const inProcess = (dir: string) => new EmbeddedStore(dir, { rescoreThreadMinRows: Number.POSITIVE_INFINITY });

describe("embedded store: rescoring in a worker thread", () => {
  it("answers exactly what scoring on the main thread answers, scores included", async () => {
    const dir = tempDir();
    const library = photos(300, 1);
    const writer = inProcess(dir);
    await writer.ensureIndex(MODEL);
    await writer.upsert(library);
    const [a, b] = [threaded(dir), inProcess(dir)];
    try {
      const random = seededRandom(2);
      for (let i = 0; i < 10; i++) {
        const query = { vector: randomUnitVector(random, DIMS), k: 25, offset: i % 3, filter: i % 2 ? { takenAfter: "2020-01-10" } : {} };
        const [fromThread, fromMain] = await Promise.all([a.rankVector(query), b.rankVector(query)]);
        assert.deepEqual(fromThread, fromMain);
        const vectors = new Map(library.map((p) => [p.id, p.vector]));
        for (const hit of fromThread.hits) assert.equal(hit.score, dot(vectors.get(hit.photo.id)!, query.vector));
      }
    } finally {
      await Promise.all([a.close(), b.close(), writer.close()]);
    }
  });

  it("stays exact while another process deletes photos and adds others in their rowids", async () => {
    const dir = tempDir();
    const writer = inProcess(dir);
    await writer.ensureIndex(MODEL);
    const library = photos(200, 3);
    await writer.upsert(library);
    const store = threaded(dir);
    try {
      const query = { vector: library[199]!.vector, k: 5, offset: 0 };
      assert.equal((await store.rankVector(query)).hits[0]!.photo.id, "p199");
      // The newest rows go and new photos take their rowids (SQLite reuses the largest), while the
      // store's searches run: each must score the photo its id names, never another's vector.
      const added = photos(20, 4, "n");
      const searches = Array.from({ length: 20 }, () => store.rankVector(query));
      await writer.delete(library.slice(180).map((p) => p.id));
      await writer.upsert(added);
      const vectors = new Map([...library, ...added].map((p) => [p.id, p.vector]));
      for (const ranking of [...(await Promise.all(searches)), await store.rankVector(query)])
        for (const hit of ranking.hits) assert.equal(hit.score, dot(vectors.get(hit.photo.id)!, query.vector));
      const after = await store.rankVector(query);
      assert.ok(!after.hits.some((hit) => hit.photo.id === "p199"));
    } finally {
      await store.close();
      await writer.close();
    }
  });

  it("leaves the scoring to the caller when no thread can read the library", async () => {
    const thread = new RescoreThread(path.join(tempDir(), "no-such", "library.db"));
    try {
      assert.equal(await thread.score(Float64Array.of(1, 2), new Float32Array(DIMS)), undefined);
      // And keeps doing so without starting another thread.
      assert.equal(await thread.score(Float64Array.of(1), new Float32Array(DIMS)), undefined);
    } finally {
      await thread.close();
    }
  });

  it("answers each rowid with the photo it holds now, and none for a rowid without a row", async () => {
    const dir = tempDir();
    const store = inProcess(dir);
    await store.ensureIndex(MODEL);
    const library = photos(3, 5);
    await store.upsert(library);
    await store.close();
    const thread = new RescoreThread(path.join(dir, "library.db"));
    try {
      const query = library[0]!.vector;
      const answer = await thread.score(Float64Array.of(1, 999, Number.NaN, 3), query);
      assert.deepEqual(answer?.ids, ["p0", null, null, "p2"]);
      assert.equal(answer?.scores[0], dot(library[0]!.vector, query));
      assert.equal(answer?.scores[3], dot(library[2]!.vector, query));
      assert.ok(Number.isNaN(answer!.scores[1]!));
    } finally {
      await thread.close();
    }
  });
});
