/**
 * The HTTP API, through the real route handlers, on the embedded store with the test model:
 * success paths, the one error shape, and file routes that never leave the library.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { closeAppContext, appContext } from "@/lib/context";
import { resetConfig } from "@/lib/config";
import sharp from "sharp";
import { contentId } from "@/lib/ingest/pipeline";
import { renditionPath } from "@/lib/ingest/thumbnails";
import { findImages } from "@/lib/ingest/files";
import { loadMetadataFile } from "@/lib/ingest/metadata-file";
import { COCO, DATASETS, GPS_SAMPLES, pngBomb, TEST_MODEL_ENV, tempDir } from "@/lib/testing";
import { GET as facets } from "./facets/route";
import { GET as health } from "./health/route";
import { GET as ready } from "./ready/route";
import { GET as photoMeta } from "./photos/[id]/route";
import { GET as original } from "./photos/[id]/original/route";
import { GET as thumbnail } from "./photos/[id]/thumbnail/route";
import { POST as upload } from "./photos/route";
import { GET as searchGet, POST as search } from "./search/route";

const files = findImages(path.join(COCO, "images")).slice(0, 24);
const idOf = (file: string) => contentId(fs.readFileSync(file));
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function post(body: unknown, raw = false): Request {
  return new Request("http://localhost/api/search", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
  });
}

function multipart(url: string, fields: Record<string, string | { bytes: Buffer; name: string }>): Request {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string") form.append(key, value);
    else form.append(key, new Blob([new Uint8Array(value.bytes)]), value.name);
  }
  return new Request(url, { method: "POST", body: form });
}

async function expectError(response: Response, status: number, code: string) {
  assert.equal(response.status, status);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(!/at .*\.ts:\d+/.test(body.error.message), "no stack traces");
  return body.error.message;
}

describe("HTTP API", () => {
  let dataDir: string;

  before(async () => {
    dataDir = tempDir();
    Object.assign(process.env, TEST_MODEL_ENV, { DATA_DIR: dataDir, STORE: "embedded", MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) });
    resetConfig();
    const { store, embedders, ingestor } = appContext();
    await store.ensureIndex(embedders.space);
    const captions = loadMetadataFile(path.join(COCO, "captions.json"));
    await ingestor.ingest(path.join(COCO, "images"), files, { textFor: (file) => captions.lookup(file) });
    await ingestor.ingest(path.join(GPS_SAMPLES, "images"), findImages(path.join(GPS_SAMPLES, "images")));
  });

  after(async () => {
    await closeAppContext();
  });

  it("searches by text and returns photo views without server paths", async () => {
    const response = await search(post({ q: "a kitchen", k: 5 }));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.mode, "semantic");
    assert.equal(body.hits.length, 5);
    const hit = body.hits[0];
    assert.match(hit.photo.thumbnailUrl, /^\/api\/photos\/[0-9a-f]{32}\/thumbnail$/);
    assert.equal(hit.photo.root, undefined);
    assert.ok(!JSON.stringify(body).includes(COCO), "absolute library paths stay on the server");
  });

  it("embeds each query with the text model its language calls for, and names it", async () => {
    const chinese = await (await searchGet(new Request("http://localhost/api/search?q=%E9%9B%AA%E5%B1%B1&k=5&cutoff=false"))).json();
    assert.equal(chinese.textModel, TEST_MODEL_ENV.MULTILINGUAL_MODEL);
    assert.equal(chinese.language, "zh");
    assert.equal(chinese.hits.length, 5);
    const english = await (await search(post({ q: "snow mountain", k: 5 }))).json();
    assert.equal(english.textModel, TEST_MODEL_ENV.IMAGE_MODEL, "CLIP's text tower (TEXT_MODEL defaults to IMAGE_MODEL)");
    const mixed = await (await search(post({ q: "iPhone 海边", k: 5, mode: "hybrid" }))).json();
    assert.equal(mixed.textModel, TEST_MODEL_ENV.MULTILINGUAL_MODEL);
    assert.notDeepEqual(
      chinese.hits.map((h: { id: string }) => h.id),
      (await (await search(post({ q: "雪山", k: 5, textModel: "clip", cutoff: false }))).json()).hits.map((h: { id: string }) => h.id),
      "the two towers give different vectors",
    );
  });

  it("lets the caller force a text model or state the language", async () => {
    const forced = await (await search(post({ q: "雪山", k: 3, textModel: "clip" }))).json();
    assert.equal(forced.textModel, TEST_MODEL_ENV.IMAGE_MODEL);
    const byId = await (await search(post({ q: "snow", k: 3, textModel: TEST_MODEL_ENV.MULTILINGUAL_MODEL }))).json();
    assert.equal(byId.textModel, TEST_MODEL_ENV.MULTILINGUAL_MODEL);
    const stated = await (await searchGet(new Request("http://localhost/api/search?q=Hund&lang=de&k=3"))).json();
    assert.deepEqual([stated.textModel, stated.language], [TEST_MODEL_ENV.MULTILINGUAL_MODEL, "de"]);
    assert.match(await expectError(await search(post({ q: "snow", textModel: "gpt" })), 400, "bad_request"), /clip, multilingual/);
    await expectError(await search(post({ q: "snow", lang: "not a language" })), 400, "bad_request");
    await expectError(await search(post({ q: "snow", mode: "text", lang: "de" })), 400, "bad_request");
  });

  it("searches by an uploaded image and finds that photo first", async () => {
    const file = files[7];
    const response = await search(
      multipart("http://localhost/api/search", {
        image: { bytes: fs.readFileSync(file!), name: "q.jpg" },
        options: JSON.stringify({ k: 3 }),
      }),
    );
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.mode, "image");
    assert.equal(body.hits[0].id, idOf(file!));
    assert.ok(body.hits[0].score >= 0.99);
  });

  it("finds more like a photo, without the photo itself", async () => {
    const body = await (await search(post({ like: idOf(files[2]!), k: 5, cutoff: false }))).json();
    assert.equal(body.hits.length, 5);
    assert.ok(!body.hits.some((h: { id: string }) => h.id === idOf(files[2]!)));
  });

  it("browses the library newest first when there is no query", async () => {
    const body = await (await search(post({ k: 3 }))).json();
    assert.equal(body.mode, "browse");
    assert.equal(body.hits[0].photo.name, "HMD_Nokia_8.3_5G.jpg");
    assert.equal(body.hasMore, true);
  });

  it("lists facets for the filter controls", async () => {
    const body = await (await facets(new Request("http://localhost/api/facets"))).json();
    assert.ok(body.folders.some((f: { folder: string }) => f.folder === "images/train2017"));
    assert.equal(body.places.length, 3, "Tuscany, Helsinki and Madrid");
    assert.equal(body.places[0].count, 9);
    assert.equal(
      body.photos,
      body.folders.reduce((sum: number, f: { count: number }) => sum + f.count, 0),
      "the library's photos",
    );
  });

  it("pages with k and offset", async () => {
    const all = await (await search(post({ q: "food", k: 10, cutoff: false }))).json();
    const second = await (await search(post({ q: "food", k: 5, offset: 5, cutoff: false }))).json();
    assert.deepEqual(
      second.hits.map((h: { id: string }) => h.id),
      all.hits.slice(5).map((h: { id: string }) => h.id),
    );
    assert.equal(second.hasMore, true);
  });

  it("accepts a browser vector that names a configured text model, and names it back", async () => {
    const { embedders } = appContext();
    for (const [q, model] of [
      ["a kitchen", TEST_MODEL_ENV.IMAGE_MODEL],
      ["厨房", TEST_MODEL_ENV.MULTILINGUAL_MODEL],
    ] as const) {
      const { vector, textModel } = await embedders.text.embedQuery(q);
      assert.equal(textModel, model);
      const body = await (await search(post({ vector: { model, values: Array.from(vector) }, k: 3 }))).json();
      const server = await (await search(post({ q, k: 3 }))).json();
      assert.equal(body.textModel, model);
      assert.deepEqual(
        body.hits.map((h: { id: string }) => h.id),
        server.hits.map((h: { id: string }) => h.id),
      );
    }
  });

  it("refuses a vector from another model with a clear 409", async () => {
    const message = await expectError(
      await search(post({ vector: { model: "Xenova/other", values: Array(512).fill(0.1) } })),
      409,
      "model_mismatch",
    );
    assert.match(message, /Xenova\/other/);
  });

  it("refuses vectors of the wrong length or with non-numbers", async () => {
    assert.match(
      await expectError(await search(post({ vector: { model: TEST_MODEL_ENV.IMAGE_MODEL, values: [1, 2, 3] } })), 400, "bad_request"),
      /512/,
    );
    await expectError(
      await search(post({ vector: { model: TEST_MODEL_ENV.IMAGE_MODEL, values: Array(512).fill("x") } })),
      400,
      "bad_request",
    );
    await expectError(
      await search(post({ vector: { model: TEST_MODEL_ENV.IMAGE_MODEL, values: Array(512).fill(0) } })),
      400,
      "bad_request",
    );
  });

  it("answers malformed requests with 400 in the one error shape", async () => {
    await expectError(await search(post("{not json", true)), 400, "bad_request");
    await expectError(
      await search(post({ q: "x", vector: { model: TEST_MODEL_ENV.IMAGE_MODEL, values: Array(512).fill(0.1) } })),
      400,
      "bad_request",
    );
    await expectError(await search(post({ q: "x", cutoff: "no" })), 400, "bad_request");
    await expectError(await search(post({ q: "x", order: "random" })), 400, "bad_request");
    await expectError(await search(post({ q: "-people" })), 400, "bad_request");
    await expectError(await search(post({ q: "x", k: 0 })), 400, "bad_request");
    await expectError(await search(post({ q: "x", k: 100000 })), 400, "bad_request");
    await expectError(await search(post({ q: "x", unknown: 1 })), 400, "bad_request");
    await expectError(await search(post({ q: "x", filters: { from: "yesterday" } })), 400, "bad_request");
    await expectError(await search(post({ q: "x", filters: { near: { lat: 200, lon: 0, radiusKm: 1 } } })), 400, "bad_request");
    await expectError(await search(multipart("http://localhost/api/search", { options: "{}" })), 400, "bad_request");
  });

  it("answers hostile queries with 400 or a normal result, never a 500", async () => {
    for (const body of [
      { q: "" },
      { q: "x".repeat(10_000) },
      { q: 5 },
      { q: ["a"] },
      { k: -1 },
      { k: 2.5 },
      { offset: -3 },
      { like: "../etc" },
      { filters: "yes" },
      { mode: "fuzzy", q: "x" },
      { vector: { model: TEST_MODEL_ENV.IMAGE_MODEL } },
    ]) {
      await expectError(await search(post(body)), 400, "bad_request");
    }
    // 1e999 parses to Infinity: refused as a non-finite vector value.
    const infinite = `{"vector":{"model":"${TEST_MODEL_ENV.IMAGE_MODEL}","values":[1e999${",0".repeat(511)}]}}`;
    await expectError(await search(post(infinite, true)), 400, "bad_request");
    for (const q of ["🏔️❄️ 雪山 snow ⛷", "Ünïcödé ñ 山の写真 사진", "'; DROP TABLE photos; --", "\u0000 NUL"]) {
      const response = await search(post({ q, mode: "hybrid", k: 3 }));
      assert.equal(response.status, 200, q);
    }
    const malformed = new Request("http://localhost/api/search", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=zzz" },
      body: "--zzz\r\nbroken",
    });
    await expectError(await search(malformed), 400, "bad_request");
  });

  it("refuses a decompression bomb upload before decoding it", async () => {
    const bomb = pngBomb(30_000, 30_000);
    assert.ok(bomb.length < 200_000);
    await expectError(
      await upload(multipart("http://localhost/api/photos", { file: { bytes: bomb, name: "bomb.png" } })),
      413,
      "too_large",
    );
  });

  it("answers an unknown photo with 404", async () => {
    await expectError(await search(post({ like: "0".repeat(32) })), 404, "not_found");
    await expectError(await photoMeta(new Request("http://localhost"), params("0".repeat(32))), 404, "not_found");
    await expectError(await photoMeta(new Request("http://localhost"), params("../../etc/passwd")), 404, "not_found");
    await expectError(await original(new Request("http://localhost"), params("..%2F..%2Fetc%2Fpasswd")), 404, "not_found");
  });

  it("supports GET searches with filters in the query string", async () => {
    const response = await searchGet(new Request("http://localhost/api/search?q=street&k=20&near=43.467,11.882,10&cutoff=false"));
    const body = await response.json();
    assert.equal(body.hits.length, 9);
  });

  it("serves metadata, the thumbnail and the original", async () => {
    const file = files[3];
    const id = idOf(file!);
    const meta = await (await photoMeta(new Request("http://localhost"), params(id))).json();
    assert.equal(meta.id, id);
    assert.ok(meta.caption.length > 0);
    const thumb = await thumbnail(new Request("http://localhost"), params(id));
    assert.equal(thumb.headers.get("content-type"), "image/webp");
    assert.ok((await thumb.arrayBuffer()).byteLength > 500);
    const full = await original(new Request("http://localhost"), params(id));
    assert.equal(full.headers.get("content-type"), "image/jpeg");
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), fs.readFileSync(file!));
  });

  it("serves a smaller rendition of the thumbnail for phones, made once, and refuses other sizes", async () => {
    const id = idOf(files[4]!);
    const small = await thumbnail(new Request("http://localhost/x?size=320"), params(id));
    assert.equal(small.headers.get("content-type"), "image/webp");
    const { width, height } = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    assert.equal(Math.max(width!, height!), 320);
    assert.ok(fs.existsSync(renditionPath(dataDir, id, 320)), "kept beside the thumbnail");
    const meta = await (await photoMeta(new Request("http://localhost"), params(id))).json();
    assert.deepEqual(meta.thumbnailRenditions, [{ size: 320, url: `/api/photos/${id}/thumbnail?size=320` }]);
    await expectError(await thumbnail(new Request("http://localhost/x?size=9999"), params(id)), 400, "bad_request");
  });

  it("never serves a file outside the library, even through a symlink", async () => {
    const { store } = appContext();
    const dir = tempDir();
    fs.copyFileSync(files[0]!, path.join(dir, "real.jpg"));
    const photo = (await store.get(idOf(files[0]!)))!;
    const vector = (await store.getVector(photo.id))!;
    fs.symlinkSync("/etc/passwd", path.join(dir, "escape.jpg"));
    for (const evil of ["../../../../etc/passwd", "/etc/passwd", "escape.jpg", "real.jpg\0.png"]) {
      await store.upsert([{ ...photo, root: dir, path: evil, vector }]);
      await expectError(await original(new Request("http://localhost"), params(photo.id)), 404, "not_found");
    }
    await store.upsert([{ ...photo, vector }]); // put it back
  });

  it("uploads a photo into the library and makes it searchable", async () => {
    const file = path.join(DATASETS, "flickr8k-1k", "images", fs.readdirSync(path.join(DATASETS, "flickr8k-1k", "images"))[3]!);
    const response = await upload(
      multipart("http://localhost/api/photos", { file: { bytes: fs.readFileSync(file), name: "holiday.jpg" } }),
    );
    assert.equal(response.status, 201);
    const body = await response.json();
    assert.equal(body.outcome, "indexed");
    assert.equal(body.photo.folder, "uploads");
    assert.equal(body.photo.name, "holiday.jpg");
    assert.ok(fs.existsSync(path.join(dataDir, "uploads", `${idOf(file)}.jpg`)), "stored by its content");
    const found = await (
      await search(multipart("http://localhost/api/search", { image: { bytes: fs.readFileSync(file), name: "q.jpg" } }))
    ).json();
    assert.equal(found.hits[0].id, idOf(file));
  });

  it("keeps a photo's caption when its bytes are uploaded again with metadata={}, and refuses metadata of the wrong type", async () => {
    const file = files[5]!;
    const before = (await (await photoMeta(new Request("http://localhost"), params(idOf(file)))).json()).caption;
    assert.ok(before, "the coco photo has a caption");
    const form = (metadata: string) =>
      multipart("http://localhost/api/photos", { file: { bytes: fs.readFileSync(file), name: "again.jpg" }, metadata });
    const again = await upload(form("{}"));
    assert.equal(again.status, 201);
    assert.deepEqual(await again.json().then((b) => [b.outcome, b.photo.caption]), ["unchanged", before]);
    await expectError(await upload(form('{"tags":[{"a":1}]}')), 400, "invalid_metadata");
    assert.equal((await (await photoMeta(new Request("http://localhost"), params(idOf(file)))).json()).caption, before);
  });

  it("refuses a non-image upload and keeps nothing of it", async () => {
    const response = await upload(
      multipart("http://localhost/api/photos", { file: { bytes: Buffer.from("<html>hi</html>"), name: "page.jpg" } }),
    );
    await expectError(response, 422, "invalid_image");
    assert.ok(!fs.readdirSync(path.join(dataDir, "uploads")).some((name) => name.startsWith(contentId(Buffer.from("<html>hi</html>")))));
    await expectError(
      await upload(multipart("http://localhost/api/photos", { file: { bytes: Buffer.from("x"), name: "script.svg" } })),
      400,
      "bad_request",
    );
  });

  it("refuses uploads over the size limit with 413", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    await expectError(await upload(multipart("http://localhost/api/photos", { file: { bytes: big, name: "big.jpg" } })), 413, "too_large");
  });

  it("reports liveness, and readiness with the store, count and model", async () => {
    assert.equal((await (await health(new Request("http://localhost/api/health"))).json()).status, "ok");
    const response = await ready(new Request("http://localhost/api/ready"));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const body = await response.json();
    assert.equal(body.status, "ok");
    assert.equal(body.models.text.state, "ready");
    assert.deepEqual(
      body.models.textTowers.map((t: { tower: string; id: string; state: string }) => [t.tower, t.id, t.state]),
      [
        ["clip", TEST_MODEL_ENV.IMAGE_MODEL, "ready"],
        ["multilingual", TEST_MODEL_ENV.MULTILINGUAL_MODEL, "ready"],
      ],
    );
    assert.equal(body.store.kind, "embedded");
    assert.ok(body.store.count >= 35);
    assert.deepEqual(body.store.model, { modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 });
  });
});
