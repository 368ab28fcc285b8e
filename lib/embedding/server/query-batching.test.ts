/** Micro-batched, cached query embedding: the same vectors as one by one, keyed on model and text. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import type { ServerTower } from "@/lib/embedding/routed";
import { TEST_MODEL_ENV } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { ClipTextEmbedder } from "./clip";
import { BatchingTower, QueryVectorCache } from "./query-batching";

const QUERIES = ["a mountain covered in snow", "dog", "two people walking on a beach at sunset with a red umbrella", "雪山", "a cat"];

for (const dtype of ["fp32", "q8"] as const) {
  describe(`micro-batched query embedding (${dtype})`, () => {
    const cfg = parseConfig({ ...TEST_MODEL_ENV, TEXT_DTYPE: dtype });
    const space = { modelId: cfg.models.image.id, dims: 512 };

    it("embeds concurrent queries in one run, each to the vector it gets alone", async () => {
      const plain = new ClipTextEmbedder(space, cfg.models);
      const alone: Float32Array[] = [];
      for (const q of QUERIES) alone.push((await plain.embedTexts([q]))[0]!);

      const batching = new BatchingTower(new ClipTextEmbedder(space, cfg.models), new QueryVectorCache());
      await batching.warm();
      const together = await Promise.all(QUERIES.map(async (q) => (await batching.embedTexts([q]))[0]!));
      assert.equal(batching.stats.runs, 1, "all five waited for one run");
      assert.equal(batching.stats.texts, QUERIES.length);
      together.forEach((v, i) => {
        // fp32: the same vector up to float rounding. q8 quantizes activations per tensor, so batch-mates move it a little.
        const agreement = dot(v, alone[i]!);
        assert.ok(dtype === "fp32" ? agreement > 0.99999 : agreement > 0.999, `${QUERIES[i]}: ${agreement}`);
      });
    });
  });
}

/** A tower that records what it was asked to embed; its vectors say which model and text made them. */
function recordingTower(textModelId: string): ServerTower & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    textModelId,
    space: { modelId: "image-model", dims: 2 },
    warm: async () => {},
    loadState: () => ({ state: "ready" }),
    embedTexts: async (texts) => {
      calls.push(texts);
      return texts.map((t) => Float32Array.of(t.length, textModelId.length));
    },
  };
}

describe("query vector cache", () => {
  it("answers a repeated (model, text) from the cache and keeps models apart", async () => {
    const cache = new QueryVectorCache();
    const clip = recordingTower("clip-text");
    const multilingual = recordingTower("multilingual-text-model");
    const a = new BatchingTower(clip, cache);
    const b = new BatchingTower(multilingual, cache);
    await a.embedTexts(["snow"]);
    await a.embedTexts(["snow"]);
    assert.deepEqual(clip.calls, [["snow"]]);
    assert.equal(a.stats.cacheHits, 1);
    // The same text through another model is another vector: embedded, never served from clip's entry.
    const [fromB] = await b.embedTexts(["snow"]);
    assert.deepEqual(multilingual.calls, [["snow"]]);
    assert.deepEqual(Array.from(fromB!), [4, "multilingual-text-model".length]);
    assert.equal(cache.size, 2);
  });

  it("is exact on the text: case and spacing make another entry", async () => {
    const tower = recordingTower("m");
    const batching = new BatchingTower(tower, new QueryVectorCache());
    await batching.embedTexts(["Snow"]);
    await batching.embedTexts(["snow"]);
    await batching.embedTexts(["snow "]);
    assert.equal(tower.calls.length, 3);
  });

  it("evicts the least recently used entry beyond its bound", () => {
    const cache = new QueryVectorCache(2);
    cache.set("m", "a", Float32Array.of(1));
    cache.set("m", "b", Float32Array.of(2));
    cache.get("m", "a"); // a is now more recent than b
    cache.set("m", "c", Float32Array.of(3));
    assert.equal(cache.size, 2);
    assert.equal(cache.get("m", "b"), undefined);
    assert.deepEqual(Array.from(cache.get("m", "a")!), [1]);
  });

  it("hands out copies: a caller changing its vector changes no cached one", () => {
    const cache = new QueryVectorCache();
    cache.set("m", "a", Float32Array.of(1, 2));
    cache.get("m", "a")![0] = 99;
    assert.deepEqual(Array.from(cache.get("m", "a")!), [1, 2]);
  });

  it("embeds a text asked twice in one batch once, and a failed run fails its queries and not the next", async () => {
    let fail = true;
    const tower = recordingTower("m");
    const flaky: ServerTower = {
      ...tower,
      embedTexts: async (texts) => {
        if (fail) throw new Error("model not loaded");
        return tower.embedTexts(texts);
      },
    };
    const batching = new BatchingTower(flaky, new QueryVectorCache());
    const results = await Promise.allSettled([batching.embedTexts(["x"]), batching.embedTexts(["x"])]);
    assert.ok(results.every((r) => r.status === "rejected"));
    fail = false;
    const [[x1], [x2]] = await Promise.all([batching.embedTexts(["x"]), batching.embedTexts(["x"])]);
    assert.deepEqual(tower.calls, [["x"]]);
    assert.deepEqual(Array.from(x1!), Array.from(x2!));
  });
});
