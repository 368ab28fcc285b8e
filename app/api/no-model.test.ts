/**
 * The API on a first run whose model cannot be had (a hub that cannot be reached, no MODEL_DIR),
 * on an empty library: what needs the model answers 503 model_unavailable with the ways out,
 * never an empty page or invalid_image; what does not need it still works; nothing gets bound.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resetConfig } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { GPS_SAMPLES, startHubStandIn, tempDir } from "@/lib/testing";
import { POST as upload } from "./photos/route";
import { GET as ready } from "./ready/route";
import { POST as search } from "./search/route";

const PHOTO = path.join(GPS_SAMPLES, "images", "DSCN0010.jpg");

const post = (body: unknown) =>
  new Request("http://localhost/api/search", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function uploadRequest(): Request {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(PHOTO))]), "holiday.jpg");
  return new Request("http://localhost/api/photos", { method: "POST", body: form });
}

async function errorOf(response: Response, status: number) {
  assert.equal(response.status, status);
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("HTTP API without a model, on an empty library", () => {
  let dataDir: string;
  const saved = { ...process.env };

  before(async () => {
    const closed = await startHubStandIn(tempDir());
    await closed.close();
    dataDir = tempDir();
    process.env = { ...saved, DATA_DIR: dataDir, STORE: "embedded", HF_ENDPOINT: closed.url, MODEL_CACHE_DIR: tempDir() };
    delete process.env.MODEL_DIR;
    delete process.env.IMAGE_MODEL;
    resetConfig();
  });

  after(async () => {
    await closeAppContext();
    process.env = saved;
    resetConfig();
  });

  it("a search by text answers 503 model_unavailable naming the ways out, not 200 with no hits", async () => {
    const error = await errorOf(await search(post({ q: "a mountain covered in snow" })), 503);
    assert.equal(error.code, "model_unavailable");
    assert.match(error.message, /text model Xenova\/clip-vit-base-patch32/);
    assert.match(error.message, /MODEL_DIR=.*HF_ENDPOINT=https:\/\/hf-mirror\.com.*npm run models:fetch/s);
  });

  it("browsing and word search need no model and answer an empty page", async () => {
    for (const body of [{}, { q: "mountain", mode: "text" }]) {
      const response = await search(post(body));
      assert.equal(response.status, 200);
      assert.deepEqual((await response.json()).hits, []);
    }
  });

  it("an upload answers 503 model_unavailable, not 422 invalid_image, keeps nothing and binds nothing", async () => {
    const error = await errorOf(await upload(uploadRequest()), 503);
    assert.equal(error.code, "model_unavailable");
    assert.match(error.message, /image model Xenova\/clip-vit-base-patch32/);
    const uploads = path.join(dataDir, "uploads");
    assert.deepEqual(fs.existsSync(uploads) ? fs.readdirSync(uploads) : [], [], "the upload's file is removed again");
    assert.equal(await appContext().store.indexModel(), undefined);
  });

  it("readiness reports the model that cannot load, with its code, once", async () => {
    const response = await ready(new Request("http://localhost/api/ready"));
    assert.equal(response.status, 503);
    const body = await response.json();
    assert.deepEqual(body.reasons, ["model_unavailable"]);
    assert.match(body.problems[0], /MODEL_DIR=.*HF_ENDPOINT=.*models:fetch/s);
    assert.equal(body.models.text.state, "failed");
    assert.equal(body.models.image.state, "failed");
  });

  it("a library bound to another model but holding no photos is still just empty", async () => {
    await appContext().store.ensureIndex({ modelId: "someone/else", dims: 768 });
    const error = await errorOf(await search(post({ q: "a dog" })), 503);
    assert.equal(error.code, "model_unavailable");
    const body = await (await ready(new Request("http://localhost/api/ready"))).json();
    assert.deepEqual(body.reasons, ["model_unavailable"], "no index_dims_mismatch for an index without photos");
  });
});
