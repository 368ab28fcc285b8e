/**
 * The store contract: the same cases against the embedded store and a real Elasticsearch.
 * Photos are synthetic (seeded random unit vectors) with hand-picked metadata, so every expected
 * result is known exactly.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AppError } from "@/lib/errors";
import { createTestStore, esSkip, photoRecord, randomUnitVector, seededRandom, STORE_KINDS, testConfig } from "@/lib/testing";
import { createStore } from "./index";
import type { NeighbourProgress, PhotoRecord, PhotoStore } from "./types";

const MODEL = { modelId: "test/contract-model", dims: 512 };
const random = seededRandom(42);

function idOf(name: string): string {
  return createHash("sha256").update(name).digest("hex").slice(0, 32);
}

function photo(name: string, fields: Partial<PhotoRecord> = {}): PhotoRecord {
  return photoRecord({ name, folder: "misc", vector: randomUnitVector(random), ...fields });
}

const TUSCANY = { lat: 43.4675, lon: 11.8851 };
const PHOTOS: PhotoRecord[] = [
  photo("siena.jpg", {
    folder: "trips/italy/tuscany",
    location: { lat: 43.3188, lon: 11.3308 },
    place: { city: "Siena", region: "Tuscany", countryCode: "IT", country: "Italy" },
    takenAt: "2008-10-22T16:28:39.000Z",
  }),
  photo("vineyard.jpg", {
    folder: "trips/italy/tuscany",
    location: { lat: 43.4671, lon: 11.8853 },
    place: { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" },
    takenAt: "2008-10-22T17:00:07.000Z",
  }),
  photo("rome.jpg", {
    folder: "trips/italy",
    location: { lat: 41.9028, lon: 12.4964 },
    place: { city: "Rome", region: "Lazio", countryCode: "IT", country: "Italy" },
    takenAt: "2009-05-01T09:00:00.000Z",
  }),
  photo("helsinki.jpg", {
    folder: "trips/finland",
    location: { lat: 60.1467, lon: 24.9068 },
    place: { city: "Helsinki", region: "Uusimaa", countryCode: "FI", country: "Finland" },
    takenAt: "2022-08-14T14:12:31.000Z",
    camera: "Nokia 8.3 5G",
  }),
  photo("madrid.jpg", { folder: "trips-old", location: { lat: 40.447, lon: -3.7248 }, takenAt: "2015-04-10T20:12:23.000Z" }),
  photo("mountain.jpg", { folder: "home", caption: "A mountain covered in snow under a blue sky", tags: ["mountain", "snow"] }),
  photo("pizza.jpg", { folder: "home", caption: "A man is in a kitchen making pizzas.", tags: ["food"] }),
  photo("xueshan.jpg", { folder: "home", caption: "一座雪山在蓝天下", tags: ["风景"], takenAt: "2020-01-15T08:00:00.000Z" }),
  photo("shan.jpg", { folder: "home", caption: "山上的小路" }),
  photo("pisa.jpg", { folder: "home", caption: "厨房里的披萨", extra: { photographer: "Zhang Wei" } }),
  ...Array.from({ length: 30 }, (_, i) =>
    photo(`filler-${i}.jpg`, { folder: `bulk/${i % 3}`, takenAt: `2012-0${1 + (i % 9)}-10T10:00:00.000Z` }),
  ),
];
const byName = (name: string) => PHOTOS.find((p) => p.name === name)!;
const names = (hits: { photo: { name: string } }[]) => hits.map((h) => h.photo.name);

for (const kind of STORE_KINDS) {
  describe(`${kind} store contract`, { skip: esSkip(kind) }, () => {
    let store: PhotoStore;

    before(async () => {
      store = createTestStore(kind);
      assert.equal(await store.indexModel(), undefined, "a new store has no index");
      await store.ensureIndex(MODEL);
      await store.upsert(PHOTOS);
      await store.refresh();
    });

    after(async () => {
      await store?.close();
    });

    it("records the model and refuses another one", async () => {
      assert.deepEqual(await store.indexModel(), MODEL);
      await store.ensureIndex(MODEL); // the same model again is fine
      await assert.rejects(store.ensureIndex({ modelId: "other/model", dims: 512 }), (e: AppError) => e.code === "model_mismatch");
      await assert.rejects(store.ensureIndex({ modelId: MODEL.modelId, dims: 768 }), (e: AppError) => e.code === "model_mismatch");
    });

    it("stores photos and their vectors faithfully", async () => {
      const original = byName("helsinki.jpg");
      const stored = await store.get(original.id);
      const { vector, ...expected } = original;
      assert.deepEqual(stored, expected);
      const storedVector = await store.getVector(original.id);
      assert.deepEqual(Array.from(storedVector!), Array.from(vector));
      assert.equal(await store.get(idOf("missing.jpg")), undefined);
      const located = await store.locate([original.id, idOf("missing.jpg")]);
      assert.deepEqual([...located.entries()], [[original.id, { root: "/library", path: original.path }]]);
    });

    it("reads the whole library page by page in id order, with records and vectors as stored (migrate)", async () => {
      const pages: PhotoRecord[][] = [];
      for (let after: string | undefined; ;) {
        const page = await store.scan(after, 3);
        pages.push(page);
        if (page.length < 3) break;
        after = page.at(-1)!.id;
      }
      const records = pages.flat();
      assert.deepEqual(
        records.map((record) => record.id),
        PHOTOS.map((photo) => photo.id).sort(),
      );
      const original = byName("helsinki.jpg");
      const scanned = records.find((record) => record.id === original.id)!;
      assert.deepEqual({ ...scanned, vector: Array.from(scanned.vector) }, { ...original, vector: Array.from(original.vector) });
    });

    it("counts photos, with and without filters", async () => {
      assert.equal(await store.count(), PHOTOS.length);
      assert.equal(await store.count({ folder: "trips/italy" }), 3);
    });

    it("finds a photo by its own vector first, with cosine 1, best first", async () => {
      for (const target of [byName("rome.jpg"), byName("filler-7.jpg"), byName("xueshan.jpg")]) {
        const page = await store.searchVector({ vector: target.vector, k: 10, offset: 0 });
        assert.equal(page.hits[0]!.photo.id, target.id);
        assert.ok(Math.abs(page.hits[0]!.score - 1) < 1e-3, `self score ${page.hits[0]!.score}`);
        const scores = page.hits.map((h) => h.score);
        assert.deepEqual(
          scores,
          [...scores].sort((a, b) => b - a),
          "scores descend",
        );
        assert.equal(page.hits.length, 10);
        assert.equal(page.hasMore, true);
      }
    });

    it("returns the exact nearest neighbours", async () => {
      const query = randomUnitVector(seededRandom(7));
      const exact = PHOTOS.map((p) => ({ name: p.name, score: p.vector.reduce((s, v, i) => s + v * query[i]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      const page = await store.searchVector({ vector: query, k: 10, offset: 0 });
      assert.deepEqual(
        names(page.hits),
        exact.map((e) => e.name),
      );
      page.hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - exact[i]!.score) < 2e-3, `score ${hit.score} vs ${exact[i]!.score}`));
    });

    it("lists every photo once with its nearest others, itself left out (the duplicates pass)", async () => {
      const listed = new Map<string, { id: string; score: number }[]>();
      const progress: NeighbourProgress[] = [];
      for await (const page of store.neighbours(3, (p) => progress.push(p))) for (const { photo, hits } of page) listed.set(photo.id, hits);
      assert.equal(listed.size, PHOTOS.length);
      assert.deepEqual(progress.at(-1), { phase: "comparing", done: PHOTOS.length, total: PHOTOS.length }, "progress ends at every photo");
      for (const record of PHOTOS) {
        const exact = PHOTOS.filter((p) => p.id !== record.id)
          .map((p) => ({ id: p.id, score: p.vector.reduce((s, v, i) => s + v * record.vector[i]!, 0) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 3);
        const hits = listed.get(record.id)!;
        assert.deepEqual(
          hits.map((h) => h.id),
          exact.map((e) => e.id),
          record.name,
        );
        hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - exact[i]!.score) < 2e-3, `score ${hit.score} vs ${exact[i]!.score}`));
      }
    });

    it("pages through results without gaps or repeats", async () => {
      const query = byName("pizza.jpg").vector;
      const all = await store.searchVector({ vector: query, k: 12, offset: 0 });
      const first = await store.searchVector({ vector: query, k: 6, offset: 0 });
      const second = await store.searchVector({ vector: query, k: 6, offset: 6 });
      assert.deepEqual([...names(first.hits), ...names(second.hits)], names(all.hits));
      const last = await store.searchVector({ vector: query, k: 10, offset: PHOTOS.length - 5 });
      assert.equal(last.hits.length, 5);
      assert.equal(last.hasMore, false);
    });

    it("ranks without photos exactly as it searches, and reads a ranking's photos by id", async (t) => {
      if (!store.rankVector || !store.getMany) return t.skip("this store returns photos with every hit (rankVector is optional)");
      const query = byName("pizza.jpg").vector;
      const filter = { takenAfter: "2000-01-01" };
      for (const request of [
        { vector: query, k: 12, offset: 0 },
        { vector: query, k: 5, offset: 4, filter },
      ]) {
        const searched = await store.searchVector(request);
        const ranked = await store.rankVector(request);
        assert.equal(ranked.hasMore, searched.hasMore);
        assert.deepEqual(
          ranked.hits.map((hit) => [hit.photo.id, hit.score, hit.photo.takenAt && Date.parse(hit.photo.takenAt)]),
          searched.hits.map((hit) => [hit.photo.id, hit.score, hit.photo.takenAt && Date.parse(hit.photo.takenAt)]),
        );
      }
      const some = (await store.rankVector({ vector: query, k: 3, offset: 0 })).hits.map((hit) => hit.photo.id);
      const photos = await store.getMany([...some, "no-such-photo"]);
      assert.deepEqual([...photos.keys()].sort(), [...some].sort());
      for (const id of some) assert.deepEqual(photos.get(id), await store.get(id));
      assert.equal((await store.getMany([])).size, 0);
    });

    it("leaves out excluded ids", async () => {
      const target = byName("rome.jpg");
      const page = await store.searchVector({ vector: target.vector, k: 5, offset: 0, filter: { excludeIds: [target.id] } });
      assert.ok(!page.hits.some((h) => h.photo.id === target.id));
      assert.equal(page.hits.length, 5);
    });

    it("filters by a radius around a point", async () => {
      const page = await store.searchVector({
        vector: byName("rome.jpg").vector,
        k: 20,
        offset: 0,
        filter: { near: { ...TUSCANY, radiusKm: 5 } },
      });
      assert.deepEqual(names(page.hits), ["vineyard.jpg"]);
      const wider = await store.searchVector({
        vector: byName("rome.jpg").vector,
        k: 20,
        offset: 0,
        filter: { near: { ...TUSCANY, radiusKm: 250 } },
      });
      assert.deepEqual(new Set(names(wider.hits)), new Set(["vineyard.jpg", "siena.jpg", "rome.jpg"]));
      assert.equal(await store.count({ near: { ...TUSCANY, radiusKm: 60 } }), 2);
    });

    it("filters by a bounding box", async () => {
      const italy = { top: 47, left: 6.6, bottom: 36.6, right: 18.5 };
      const page = await store.searchVector({ vector: byName("helsinki.jpg").vector, k: 20, offset: 0, filter: { box: italy } });
      assert.deepEqual(new Set(names(page.hits)), new Set(["vineyard.jpg", "siena.jpg", "rome.jpg"]));
    });

    it("filters by date, inclusive of a whole end day", async () => {
      const oneDay = { takenAfter: "2008-10-22", takenBefore: "2008-10-22" };
      const page = await store.searchVector({ vector: byName("rome.jpg").vector, k: 20, offset: 0, filter: oneDay });
      assert.deepEqual(new Set(names(page.hits)), new Set(["siena.jpg", "vineyard.jpg"]));
      assert.equal(await store.count({ takenAfter: "2015-01-01" }), 3);
      assert.equal(await store.count({ takenBefore: "2008-10-22T17:00:00Z" }), 1);
    });

    it("filters by folder and everything below it, not by name prefix", async () => {
      assert.equal(await store.count({ folder: "trips" }), 4);
      assert.equal(await store.count({ folder: "trips/italy/" }), 3);
      const page = await store.searchVector({ vector: byName("madrid.jpg").vector, k: 40, offset: 0, filter: { folder: "trips" } });
      assert.ok(!names(page.hits).includes("madrid.jpg"), "trips-old is not inside trips");
    });

    it("combines filters", async () => {
      const filter = { folder: "trips", takenAfter: "2009-01-01", near: { lat: 41.9, lon: 12.5, radiusKm: 50 } };
      assert.equal(await store.count(filter), 1);
    });

    it("finds English captions by full-text, best match first", async () => {
      const page = await store.searchText({ text: "mountain snow", k: 5, offset: 0 });
      assert.equal(page.hits[0]!.photo.name, "mountain.jpg");
      const pizza = await store.searchText({ text: "kitchen", k: 5, offset: 0 });
      assert.deepEqual(names(pizza.hits), ["pizza.jpg"]);
    });

    it("finds Chinese captions by full-text, the whole word first", async () => {
      const page = await store.searchText({ text: "雪山", k: 5, offset: 0 });
      assert.equal(page.hits[0]!.photo.name, "xueshan.jpg");
      const pizza = await store.searchText({ text: "披萨", k: 5, offset: 0 });
      assert.equal(pizza.hits[0]!.photo.name, "pisa.jpg");
      const tag = await store.searchText({ text: "风景", k: 5, offset: 0 });
      assert.equal(tag.hits[0]!.photo.name, "xueshan.jpg");
    });

    it("searches file names, folders and extra fields too", async () => {
      assert.equal((await store.searchText({ text: "helsinki", k: 5, offset: 0 })).hits[0]!.photo.name, "helsinki.jpg");
      assert.equal((await store.searchText({ text: "finland", k: 5, offset: 0 })).hits[0]!.photo.name, "helsinki.jpg");
      assert.equal((await store.searchText({ text: "Zhang", k: 5, offset: 0 })).hits[0]!.photo.name, "pisa.jpg");
    });

    it("applies filters to full-text search and treats query syntax as plain text", async () => {
      const none = await store.searchText({ text: "snow", k: 5, offset: 0, filter: { folder: "trips" } });
      assert.equal(none.hits.length, 0);
      const weird = await store.searchText({ text: 'mountain" OR NEAR( * AND', k: 5, offset: 0 });
      assert.equal(weird.hits[0]!.photo.name, "mountain.jpg");
      assert.equal((await store.searchText({ text: "!!! ???", k: 5, offset: 0 })).hits.length, 0);
    });

    it("browses photos newest first, undated last, with paging and filters", async () => {
      const page = await store.browse({ k: 4, offset: 0 });
      assert.deepEqual(names(page.hits), ["helsinki.jpg", "xueshan.jpg", "madrid.jpg", "filler-8.jpg"]);
      assert.equal(page.hasMore, true);
      const all = await store.browse({ k: 100, offset: 0 });
      assert.equal(all.hits.length, PHOTOS.length);
      assert.equal(all.hasMore, false);
      const dated = all.hits.filter((h) => h.photo.takenAt).map((h) => h.photo.takenAt!);
      assert.deepEqual(dated, [...dated].sort().reverse());
      assert.ok(
        all.hits.slice(dated.length).every((h) => !h.photo.takenAt),
        "undated photos come last",
      );
      const italy = await store.browse({ k: 10, offset: 0, filter: { folder: "trips/italy" } });
      assert.deepEqual(names(italy.hits), ["rome.jpg", "vineyard.jpg", "siena.jpg"]);
      const second = await store.browse({ k: 2, offset: 2, filter: { folder: "trips/italy" } });
      assert.deepEqual(names(second.hits), ["siena.jpg"]);
    });

    it("finds photos by the names of their places and regions, in English and Chinese", async () => {
      const found = async (text: string) => names((await store.searchText({ text, k: 10, offset: 0 })).hits).sort();
      assert.deepEqual(await found("Arezzo"), ["vineyard.jpg"]);
      assert.deepEqual(await found("Italy"), ["rome.jpg", "siena.jpg", "vineyard.jpg"]);
      assert.deepEqual(await found("意大利"), ["rome.jpg", "siena.jpg", "vineyard.jpg"]);
      assert.deepEqual(await found("芬兰"), ["helsinki.jpg"]);
      assert.deepEqual(await found("Lazio"), ["rome.jpg"], "by region");
      const tuscany = { box: { top: 44, left: 11, bottom: 43, right: 12.5 } };
      const inArea = await store.searchText({ text: "Italy", k: 10, offset: 0, filter: tuscany });
      assert.deepEqual(names(inArea.hits).sort(), ["siena.jpg", "vineyard.jpg"]);
      assert.equal(await store.count({ country: "IT" }), 3);
      const finland = await store.searchVector({ vector: byName("rome.jpg").vector, k: 5, offset: 0, filter: { country: "fi" } });
      assert.deepEqual(names(finland.hits), ["helsinki.jpg"], "a country filter inside the kNN");
    });

    it("clusters a map area's photos by tile, each with a photo and its place", async () => {
      const italy = { box: { top: 47, left: 6, bottom: 36, right: 19 } };
      const clusters = await store.clusters({ zoom: 3, filter: italy });
      assert.equal(
        clusters.reduce((sum, c) => sum + c.count, 0),
        3,
        "the three Italian photos",
      );
      for (const cluster of clusters) assert.equal(cluster.place?.countryCode, "IT");
      const fine = await store.clusters({ zoom: 12, filter: italy });
      assert.equal(fine.length, 3, "three tiles at zoom 12");
      const vineyard = fine.find((c) => c.place?.city === "Arezzo");
      assert.equal(vineyard?.photoId, byName("vineyard.jpg").id);
      assert.equal(vineyard?.count, 1);
      assert.deepEqual(await store.clusters({ zoom: 5, filter: { box: { top: 10, left: 0, bottom: 0, right: 10 } } }), []);
    });

    it("searches by meaning inside a map area: k nearest among the area's photos", async () => {
      const query = randomUnitVector(seededRandom(11));
      const tuscany = { box: { top: 44, left: 11, bottom: 43, right: 12.5 } };
      const page = await store.searchVector({ vector: query, k: 2, offset: 0, filter: tuscany });
      assert.deepEqual(names(page.hits).sort(), ["siena.jpg", "vineyard.jpg"], "both, however far their vectors");
      const near = await store.searchVector({ vector: query, k: 5, offset: 0, filter: { near: { lat: 43.46, lon: 11.88, radiusKm: 5 } } });
      assert.deepEqual(names(near.hits), ["vineyard.jpg"]);
    });

    it("lists folders, places and the date range for the filter controls", async () => {
      const facets = await store.facets();
      const folders = Object.fromEntries(facets.folders.map((f) => [f.folder, f.count]));
      assert.deepEqual(folders, {
        "bulk/0": 10,
        "bulk/1": 10,
        "bulk/2": 10,
        home: 5,
        "trips-old": 1,
        "trips/finland": 1,
        "trips/italy": 1,
        "trips/italy/tuscany": 2,
      });
      assert.equal(facets.places.length, 5, "five places, each far from the others");
      assert.ok(facets.places.every((p) => p.count === 1));
      const helsinki = facets.places.find((p) => Math.abs(p.lat - 60.1467) < 0.01);
      assert.ok(helsinki && Math.abs(helsinki.lon - 24.9068) < 0.01);
      assert.equal(helsinki.place?.city, "Helsinki", "places carry their names");
      assert.equal(helsinki.photoId, byName("helsinki.jpg").id);
      assert.deepEqual(facets.takenRange, { from: "2008-10-22T16:28:39.000Z", to: "2022-08-14T14:12:31.000Z" });
      // The year jump offers only years that hold photos (none between 2015 and 2020 here), with their counts.
      const perYear = new Map<number, number>();
      for (const p of PHOTOS)
        if (p.takenAt) perYear.set(Number(p.takenAt.slice(0, 4)), (perYear.get(Number(p.takenAt.slice(0, 4))) ?? 0) + 1);
      const expected = [...perYear].map(([year, count]) => ({ year, count })).sort((a, b) => b.year - a.year);
      assert.deepEqual(facets.years, expected);
      assert.ok(!facets.years?.some((y) => y.year === 2017), "no empty years");
    });

    it("replaces a photo stored again under the same id", async () => {
      const updated = { ...byName("shan.jpg"), caption: "a narrow path up the hill" };
      await store.upsert([updated]);
      await store.refresh();
      assert.equal((await store.get(updated.id))?.caption, "a narrow path up the hill");
      assert.equal(await store.count(), PHOTOS.length);
      assert.equal((await store.searchText({ text: "narrow path", k: 3, offset: 0 })).hits[0]!.photo.name, "shan.jpg");
    });

    it("refuses vectors of the wrong size", async () => {
      await assert.rejects(store.searchVector({ vector: new Float32Array(10), k: 3, offset: 0 }), AppError);
    });

    it("locates the photos stored in a folder, whatever root they were ingested from", async () => {
      const others = [
        photo("inner.jpg", { root: "/library/trips/italy", path: "inner.jpg", folder: "italy" }),
        photo("deeper.jpg", { root: "/library/trips/italy/tuscany/hills", path: "a/deeper.jpg", folder: "hills/a" }),
        photo("sibling.jpg", { root: "/library/trips/italy-2", path: "sibling.jpg", folder: "italy-2" }),
        photo("elsewhere.jpg", { root: "/other", path: "trips/italy/elsewhere.jpg", folder: "other/trips/italy" }),
      ];
      await store.upsert(others);
      await store.refresh();
      const under = await store.locateUnder("/library/trips/italy");
      assert.deepEqual(
        new Set([...under.values()].map((l) => l.path)),
        new Set(["trips/italy/tuscany/siena.jpg", "trips/italy/tuscany/vineyard.jpg", "trips/italy/rome.jpg", "inner.jpg", "a/deeper.jpg"]),
      );
      assert.deepEqual(under.get(byName("rome.jpg").id), { root: "/library", path: "trips/italy/rome.jpg" });
      assert.equal((await store.locateUnder("/library/")).size, PHOTOS.length + 3, "a trailing slash changes nothing");
      assert.equal((await store.locateUnder("/nowhere")).size, 0);
      await store.delete(others.map((p) => p.id));
      await store.refresh();
      assert.equal(await store.count(), PHOTOS.length);
    });

    it("deletes photos from every kind of search", async () => {
      const gone = byName("filler-0.jpg");
      await store.delete([gone.id]);
      await store.refresh();
      assert.equal(await store.get(gone.id), undefined);
      assert.equal(await store.count(), PHOTOS.length - 1);
      const page = await store.searchVector({ vector: gone.vector, k: 3, offset: 0 });
      assert.notEqual(page.hits[0]!.photo.id, gone.id);
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`${kind} store: bound to a model by its first photo`, { skip: esSkip(kind) }, () => {
    let store: PhotoStore;

    before(() => {
      store = createTestStore(kind);
    });

    after(async () => {
      await store?.close();
    });

    it("takes another model while it holds no photos, and refuses one, naming where it lives, once it does", async () => {
      await store.ensureIndex(MODEL);
      // Nothing written (a first ingest whose model could not load): not bound yet.
      const other = { modelId: "other/model", dims: 768 };
      await store.ensureIndex(other);
      assert.deepEqual(await store.indexModel(), other);
      await store.ensureIndex(MODEL);
      await store.upsert([photo("first.jpg")]);
      await store.refresh();
      await assert.rejects(store.ensureIndex(other), (e: AppError) => {
        assert.equal(e.code, "model_mismatch");
        assert.match(
          e.message,
          kind === "embedded"
            ? /the library in DATA_DIR \(.+\) holds 512-dim vectors from test\/contract-model/
            : /index .+ \(ES_INDEX\) holds/,
        );
        assert.match(e.message, kind === "embedded" ? /point DATA_DIR at an empty folder/ : /set ES_INDEX to a new index/);
        return true;
      });
      assert.equal(await store.count(), 1);
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`${kind} store: change token`, { skip: esSkip(kind) }, () => {
    let store: PhotoStore;
    let other: PhotoStore;

    before(() => {
      // Two stores on one library: another process (the ingest CLI) writing what the server reads.
      const cfg = testConfig(kind);
      store = createStore(cfg);
      other = createStore(cfg);
    });

    after(async () => {
      await store?.close();
      await other?.close();
    });

    it("changes with every write that search can see, by this store or another on the same library, and only then", async () => {
      assert.equal(typeof (await store.changeToken()), "string", "a library without an index has a token too");
      await store.ensureIndex(MODEL);
      await store.upsert([photo("token-a.jpg"), photo("token-b.jpg")]);
      await store.refresh();
      const tokens = [await store.changeToken()];
      assert.equal(await store.changeToken(), tokens[0], "no write, same token");
      assert.equal(await other.changeToken(), tokens[0], "the same library, the same token");

      const steps: [string, () => Promise<void>][] = [
        ["a photo added", () => store.upsert([photo("token-c.jpg")])],
        ["a photo stored again with other metadata", () => store.upsert([{ ...photo("token-c.jpg"), caption: "another caption" }])],
        ["a photo deleted", () => store.delete([photo("token-a.jpg").id])],
        ["a photo added by another store", () => other.upsert([photo("token-d.jpg")])],
        ["a photo deleted by another store", () => other.delete([photo("token-b.jpg").id])],
      ];
      for (const [what, write] of steps) {
        await write();
        await store.refresh();
        const token = await store.changeToken();
        assert.ok(!tokens.includes(token), `${what}: the token changes`);
        assert.equal(await store.changeToken(), token, `${what}: and stays while nothing is written`);
        tokens.push(token);
      }
    });
  });
}
