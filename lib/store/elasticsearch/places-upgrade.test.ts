/**
 * An index this app made before places (or regions) existed (its strict mapping lacks place fields)
 * takes photos with place names after the next ingest binds it (ensureIndex adds the fields), and
 * its older documents keep being found.
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

  after(async () => {
    await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
  });

  // Made before places (no place field at all), or before regions (every place field but the region).
  const cases = [
    { made: "before places", dropped: (name: string) => name.startsWith("place_") },
    { made: "before regions", dropped: (name: string) => name === "place_region" },
  ];
  for (const { made, dropped } of cases) {
    it(`an index made ${made} gains the place fields on ensureIndex and finds places by name`, async () => {
      await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
      // A store of its own: nothing remembered from the other case's index.
      const store = new ElasticsearchStore(cfg.elasticsearch);
      try {
        const body = indexBody(MODEL);
        const properties = Object.fromEntries(Object.entries(body.mappings.properties).filter(([name]) => !dropped(name)));
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
        await store.upsert([{ ...photo, place: { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" } }]);
        await store.refresh();
        for (const text of ["意大利", "Tuscany"]) {
          const hits = await store.searchText({ text, k: 5, offset: 0 });
          assert.deepEqual(
            hits.hits.map((h) => h.photo.place?.city),
            ["Arezzo"],
            text,
          );
        }
        assert.equal(await store.count({ country: "IT" }), 1);
        assert.deepEqual(
          await store.locate([photo.id]),
          new Map([[photo.id, { root: "/lib", path: "arezzo.jpg" }]]),
          "named: not unplaced",
        );
      } finally {
        await store.close();
      }
    });
  }
});
