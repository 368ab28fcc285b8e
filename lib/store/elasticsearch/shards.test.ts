/**
 * ES_SHARDS: the app's index made with several primary shards on a real cluster. Each shard has its
 * own graphs and its own share of the photos; a search must still return the exact nearest photos
 * across all of them, page after page, and counts and browsing must see every shard.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dot } from "@/lib/vector";
import { ES_TEST_URL, esSkip, photoRecord, randomUnitVector, seededRandom, testConfig } from "@/lib/testing";
import { ElasticsearchStore } from "./index";

const MODEL = { modelId: "test/shards", dims: 64 };
const SHARDS = 3;

describe("elasticsearch: the app's index with several primary shards", { skip: esSkip("elasticsearch") }, () => {
  const cfg = testConfig("elasticsearch", { ES_SHARDS: String(SHARDS) });
  const store = new ElasticsearchStore(cfg.elasticsearch);
  const random = seededRandom(17);
  const photos = Array.from({ length: 90 }, (_, i) =>
    photoRecord({ name: `shard-${i}.jpg`, vector: randomUnitVector(random, MODEL.dims) }),
  );

  before(async () => {
    await store.ensureIndex(MODEL);
    await store.upsert(photos);
    await store.refresh();
  });

  after(async () => {
    await store.close();
    await fetch(`${ES_TEST_URL}/${cfg.elasticsearch.index}`, { method: "DELETE" });
  });

  it("is created with ES_SHARDS primaries, each holding part of the library", async () => {
    const settings = (await (await fetch(`${ES_TEST_URL}/${cfg.elasticsearch.index}/_settings`)).json()) as Record<
      string,
      { settings: { index: { number_of_shards: string } } }
    >;
    assert.equal(settings[cfg.elasticsearch.index]?.settings.index.number_of_shards, String(SHARDS));
    const shards = (await (
      await fetch(`${ES_TEST_URL}/_cat/shards/${cfg.elasticsearch.index}?format=json&h=shard,prirep,docs`)
    ).json()) as { shard: string; prirep: string; docs: string }[];
    const primaries = shards.filter((s) => s.prirep === "p");
    assert.equal(primaries.length, SHARDS);
    assert.ok(
      primaries.every((s) => Number(s.docs) > 0),
      `every primary holds photos: ${JSON.stringify(primaries)}`,
    );
    assert.equal(await store.count(), photos.length);
  });

  it("returns the exact nearest photos across the shards, page after page", async () => {
    for (const query of photos.slice(0, 5)) {
      const exact = [...photos]
        .sort((a, b) => dot(query.vector, b.vector) - dot(query.vector, a.vector))
        .map((p) => p.id)
        .slice(0, 20);
      const first = await store.searchVector({ vector: query.vector, k: 10, offset: 0 });
      const second = await store.searchVector({ vector: query.vector, k: 10, offset: 10 });
      assert.equal(first.hits[0]?.photo.id, query.id, "a photo finds itself first");
      assert.deepEqual(
        [...first.hits, ...second.hits].map((h) => h.photo.id),
        exact,
      );
      assert.equal(first.hasMore, true);
    }
  });

  it("browses every shard's photos once", async () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < photos.length; offset += 40) {
      const page = await store.browse({ k: 40, offset });
      for (const hit of page.hits) seen.add(hit.photo.id);
    }
    assert.equal(seen.size, photos.length);
  });
});
