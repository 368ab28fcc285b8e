/**
 * An index this app made before places existed (its strict mapping has no place fields) takes
 * photos with place names after the next ingest binds it (ensureIndex adds the fields), and its
 * older documents keep being found.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ES_TEST_URL, esSkip, photoRecord, randomUnitVector, seededRandom, testConfig } from "@/lib/testing";
import { ElasticsearchStore } from "./index";
import { indexBody } from "./mapping";

const MODEL = { modelId: "test/places-upgrade", dims: 8 };

describe("elasticsearch: an index from before places", { skip: esSkip("elasticsearch") }, () => {
  const cfg = testConfig("elasticsearch");
  const index = cfg.elasticsearch.index;
  const store = new ElasticsearchStore(cfg.elasticsearch);

  after(async () => {
    await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
    await store.close();
  });

  it("gains the place fields on ensureIndex and finds places by name", async () => {
    const body = indexBody(MODEL);
    const properties = Object.fromEntries(Object.entries(body.mappings.properties).filter(([name]) => !name.startsWith("place_")));
    const created = await fetch(`${ES_TEST_URL}/${index}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, mappings: { ...body.mappings, properties } }),
    });
    assert.equal(created.status, 200, await created.text());
    const random = seededRandom(3);
    const photo = photoRecord({
      id: "a".repeat(32),
      root: "/lib",
      path: "arezzo.jpg",
      folder: "lib",
      name: "arezzo.jpg",
      location: { lat: 43.4675, lon: 11.8851 },
      vector: randomUnitVector(random, MODEL.dims),
    });
    await store.upsert([photo]); // as an older app wrote it: no place
    await store.refresh();
    assert.deepEqual(await store.locate([photo.id]), new Map([[photo.id, { root: "/lib", path: "arezzo.jpg", unplaced: true }]]));

    await store.ensureIndex(MODEL);
    await store.upsert([{ ...photo, place: { city: "Arezzo", countryCode: "IT", country: "Italy" } }]);
    await store.refresh();
    const hits = await store.searchText({ text: "意大利", k: 5, offset: 0 });
    assert.deepEqual(
      hits.hits.map((h) => h.photo.place?.city),
      ["Arezzo"],
    );
    assert.equal(await store.count({ country: "IT" }), 1);
  });
});
