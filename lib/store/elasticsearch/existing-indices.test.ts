/**
 * Indices this app did not create, on a real Elasticsearch: one laid out like the Alibaba Cloud
 * tutorial's `image-embeddings` (Unsplash photos with remote URLs), one like Elastic's
 * image-embeddings generator (local files, EXIF location and date). Both are created here with
 * their own mappings, as their tools would, and searched read-only.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { originalFile } from "@/lib/files/photo-files";
import { ES_TEST_URL, GPS_SAMPLES, randomUnitVector, seededRandom, uniqueIndexName } from "@/lib/testing";
import { ElasticsearchStore } from "./index";

const SPACE = { modelId: "Xenova/clip-vit-base-patch32", dims: 512 };
const random = seededRandom(99);

async function createIndex(name: string, mappings: object, docs: Record<string, unknown>[]) {
  const put = await fetch(`${ES_TEST_URL}/${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mappings }),
  });
  assert.equal(put.status, 200, await put.text());
  const lines = docs.flatMap((doc) => [JSON.stringify({ index: { _index: name } }), JSON.stringify(doc)]).join("\n") + "\n";
  const bulk = await fetch(`${ES_TEST_URL}/_bulk?refresh=true`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: lines,
  });
  assert.equal((await bulk.json()).errors, false);
}

const vector = () => Array.from(randomUnitVector(random));

const TUTORIAL_MAPPING = {
  properties: {
    photo_id: { type: "keyword" },
    photo_image_url: { type: "keyword" },
    photo_url: { type: "keyword" },
    photo_description: { type: "text" },
    ai_description: { type: "text" },
    photographer_first_name: { type: "keyword" },
    photographer_last_name: { type: "keyword" },
    photographer_username: { type: "keyword" },
    exif_camera_make: { type: "keyword" },
    exif_camera_model: { type: "keyword" },
    exif_iso: { type: "integer" },
    image_embedding: { type: "dense_vector", dims: 512, index: true, similarity: "cosine" },
  },
};

const UNSPLASH = [
  {
    photo_id: "XMcoTHgNcQA",
    photo_description: "Snow covered mountain under a clear sky",
    ai_description: "a mountain covered in snow",
    photographer_first_name: "Ana",
    photographer_last_name: "Lee",
    exif_camera_make: "Canon",
    exif_camera_model: "EOS 5D",
  },
  {
    photo_id: "-LpZcFOTOWk",
    photo_description: "雪山日出",
    ai_description: "sunrise over snowy peaks",
    photographer_first_name: "Wei",
    photographer_last_name: "Zhang",
  },
  { photo_id: "3dAm3oVjXTk", photo_description: null, ai_description: "a red bus on a city street", photographer_username: "citylens" },
  { photo_id: "qu7T1bX2G8E", photo_description: "Fishing boats in the harbour", ai_description: "boats on water" },
].map((doc) => ({
  ...doc,
  photo_image_url: `https://images.unsplash.com/photo-${doc.photo_id}`,
  photo_url: `https://unsplash.com/photos/${doc.photo_id}`,
  image_embedding: vector(),
}));

const GENERATOR_MAPPING = {
  properties: {
    image_id: { type: "keyword" },
    image_name: { type: "keyword" },
    image_embedding: { type: "dense_vector", dims: 512, index: true, similarity: "cosine" },
    relative_path: { type: "keyword" },
    exif: { properties: { location: { type: "geo_point" }, date: { type: "date" } } },
  },
};

const GENERATED = [
  {
    image_id: "a1",
    image_name: "DSCN0010.jpg",
    relative_path: "images/DSCN0010.jpg",
    exif: { location: { lat: 43.4674, lon: 11.8851 }, date: "2008-10-22T16:28:39" },
  },
  {
    image_id: "b2",
    image_name: "HMD_Nokia_8.3_5G.jpg",
    relative_path: "images/HMD_Nokia_8.3_5G.jpg",
    exif: { location: [24.9068, 60.1467], date: "2022-08-14T14:12:31" },
  },
  {
    image_id: "c3",
    image_name: "iphone_hdr_YES.jpg",
    relative_path: "images/iphone_hdr_YES.jpg",
    exif: { location: "40.447,-3.7248", date: "2015-04-10T20:12:23" },
  },
].map((doc) => ({ ...doc, image_embedding: vector() }));

function storeFor(index: string, env: Record<string, string> = {}) {
  return new ElasticsearchStore(parseConfig({ ES_HOST: ES_TEST_URL, ES_INDEX: index, ...env }).elasticsearch);
}

describe("searching the tutorial's image-embeddings index", { skip: !ES_TEST_URL && "no Elasticsearch" }, () => {
  const index = uniqueIndexName();
  let store: ElasticsearchStore;

  before(async () => {
    await createIndex(index, TUTORIAL_MAPPING, UNSPLASH);
    store = storeFor(index);
  });

  after(async () => {
    await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
    await store.close();
  });

  it("recognises the layout and checks the vector size, since the index records no model", async () => {
    assert.deepEqual(await store.indexModel(), { modelId: "unrecorded (tutorial layout)", dims: 512, recorded: false });
    await store.ensureIndex(SPACE);
    await assert.rejects(store.ensureIndex({ modelId: "x", dims: 768 }), (e: AppError) => e.code === "model_mismatch");
    assert.equal(await store.count(), 4);
  });

  it("finds photos by vector, with their remote image URL, description and photographer", async () => {
    const target = UNSPLASH[0];
    const page = await store.searchVector({ vector: Float32Array.from(target!.image_embedding), k: 3, offset: 0 });
    const [best] = page.hits;
    assert.equal(best!.photo.id, "XMcoTHgNcQA");
    assert.ok(best!.score > 0.999);
    assert.equal(best!.photo.url, "https://images.unsplash.com/photo-XMcoTHgNcQA");
    assert.equal(best!.photo.caption, "Snow covered mountain under a clear sky");
    assert.equal(best!.photo.camera, "Canon EOS 5D");
    assert.equal(best!.photo.extra.photographer, "Ana Lee");
  });

  it("falls back to the AI description when a photo has none of its own", async () => {
    assert.equal((await store.get("3dAm3oVjXTk"))?.caption, "a red bus on a city street");
  });

  it("finds more like a photo, without the photo itself", async () => {
    const vector = await store.getVector("-LpZcFOTOWk");
    assert.equal(vector?.length, 512);
    const page = await store.searchVector({ vector: vector!, k: 3, offset: 0, filter: { excludeIds: ["-LpZcFOTOWk"] } });
    assert.equal(page.hits.length, 3);
    assert.ok(!page.hits.some((h) => h.photo.id === "-LpZcFOTOWk"));
  });

  it("searches descriptions in English and Chinese, and photographers", async () => {
    assert.equal((await store.searchText({ text: "snow mountain", k: 3, offset: 0 })).hits[0]!.photo.id, "XMcoTHgNcQA");
    assert.equal((await store.searchText({ text: "雪山", k: 3, offset: 0 })).hits[0]!.photo.id, "-LpZcFOTOWk");
    assert.equal((await store.searchText({ text: "citylens", k: 3, offset: 0 })).hits[0]!.photo.id, "3dAm3oVjXTk");
  });

  it("browses the index and offers no places or folders it does not have", async () => {
    assert.equal((await store.browse({ k: 10, offset: 0 })).hits.length, 4);
    assert.deepEqual(await store.facets(), { folders: [], places: [] });
  });

  it("is read-only, and says so; filters on fields it lacks are refused clearly", async () => {
    const [doc] = UNSPLASH;
    const record = { ...(await store.get(doc!.photo_id))!, vector: Float32Array.from(doc!.image_embedding) };
    await assert.rejects(store.upsert([record]), (e: AppError) => e.code === "bad_request" && /read-only/.test(e.message));
    await assert.rejects(
      store.searchVector({ vector: record.vector, k: 3, offset: 0, filter: { near: { lat: 1, lon: 1, radiusKm: 5 } } }),
      (e: AppError) => e.code === "bad_request" && /no locations/.test(e.message),
    );
  });
});

describe("searching an index made by the image-embeddings generator", { skip: !ES_TEST_URL && "no Elasticsearch" }, () => {
  const index = uniqueIndexName();
  let store: ElasticsearchStore;

  before(async () => {
    await createIndex(index, GENERATOR_MAPPING, GENERATED);
    store = storeFor(index, { ES_IMAGE_ROOT: GPS_SAMPLES });
  });

  after(async () => {
    await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" });
    await store.close();
  });

  it("reads EXIF location (every geo_point form) and date, and filters on them with kNN", async () => {
    const tuscany = await store.searchVector({
      vector: Float32Array.from(GENERATED[1]!.image_embedding),
      k: 5,
      offset: 0,
      filter: { near: { lat: 43.467, lon: 11.882, radiusKm: 10 } },
    });
    assert.deepEqual(
      tuscany.hits.map((h) => h.photo.id),
      ["a1"],
    );
    const helsinki = await store.get("b2");
    assert.deepEqual(helsinki?.location, { lat: 60.1467, lon: 24.9068 });
    assert.deepEqual((await store.get("c3"))?.location, { lat: 40.447, lon: -3.7248 });
    assert.equal(await store.count({ takenAfter: "2015-01-01", takenBefore: "2015-12-31" }), 1);
    const facets = await store.facets();
    assert.equal(facets.places.length, 3);
  });

  it("serves originals from ES_IMAGE_ROOT by their relative path", async () => {
    const photo = (await store.get("a1"))!;
    assert.equal(photo.path, "images/DSCN0010.jpg");
    // Symlinks resolved: ../shared may itself be a link.
    assert.equal(await originalFile(photo), fs.realpathSync(path.join(GPS_SAMPLES, "images/DSCN0010.jpg")));
  });
});
