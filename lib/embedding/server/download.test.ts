/**
 * Model downloads through the production loader, from a stand-in for the hub on loopback
 * (lib/testing/hub-stand-in.ts speaks the hub's resolve URLs, redirects and headers): progress is
 * reported with sizes, the downloaded folder works offline as MODEL_DIR, a cached model loads
 * quietly, and a hub that cannot be reached gives one message naming the ways out.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { startHubStandIn, tempDir, TEST_MODEL_ENV, type HubStandIn } from "@/lib/testing";
import { onModelDownload, type DownloadProgress } from "./download-progress";
import { createServerEmbedders } from "./index";
import type { LoadState } from "./clip";

const MODEL = TEST_MODEL_ENV.IMAGE_MODEL;
const MULTILINGUAL = TEST_MODEL_ENV.MULTILINGUAL_MODEL;
const modelFiles = (dir: string) => path.join(dir, MODEL);

describe("model downloads", () => {
  let hub: HubStandIn;
  let cacheDir: string;

  before(async () => {
    hub = await startHubStandIn(TEST_MODEL_ENV.MODEL_DIR);
    cacheDir = tempDir();
  });

  after(async () => {
    await hub.close();
  });

  it("reports each model's download with its size, and keeps the files in the MODEL_DIR layout", async () => {
    const cfg = parseConfig({ IMAGE_MODEL: MODEL, MULTILINGUAL_MODEL: MULTILINGUAL, HF_ENDPOINT: hub.url, MODEL_CACHE_DIR: cacheDir });
    const { image, text, clipText } = createServerEmbedders(cfg);
    const updates: DownloadProgress[] = [];
    const states: LoadState[] = [];
    const stop = onModelDownload((progress) => {
      updates.push(progress);
      states.push(progress.model.startsWith("image") ? image.loadState() : clipText.loadState());
    });
    try {
      await image.warm();
      await text.warm();
    } finally {
      stop();
    }
    const last = (what: string) => updates.filter((u) => u.model === `${what} model ${MODEL}`).at(-1);
    const size = (...files: string[]) =>
      files.reduce((sum, f) => sum + fs.statSync(path.join(modelFiles(TEST_MODEL_ENV.MODEL_DIR), f)).size, 0);
    const imageDone = last("image");
    assert.ok(imageDone?.done, "the image model's download finished");
    assert.equal(imageDone.totalBytes, size("config.json", "preprocessor_config.json", "onnx/vision_model.onnx"));
    assert.equal(imageDone.loadedBytes, imageDone.totalBytes);
    // The text tower shares config.json with the image tower: only its own files download.
    const textDone = last("text");
    assert.equal(textDone?.totalBytes, size("tokenizer.json", "tokenizer_config.json", "onnx/text_model_quantized.onnx"));
    assert.ok(
      updates.some((u) => !u.done && u.loadedBytes > 0 && u.loadedBytes < u.totalBytes),
      "progress arrives while files stream in, not only at the end",
    );
    assert.ok(
      states.some((s) => s.state === "loading" && s.download !== undefined && s.download.totalBytes > 0),
      "readiness sees the download",
    );
    assert.ok(
      hub.requests.some((r) => /^cdn GET \/repos\//.test(r)),
      "weights came through the CDN redirect",
    );
    assert.equal(image.loadState().state, "ready");
  });

  it("loads a cached model quietly, and the fetched folder works offline as MODEL_DIR", async () => {
    const updates: DownloadProgress[] = [];
    const stop = onModelDownload((progress) => updates.push(progress));
    try {
      const cached = createServerEmbedders(
        parseConfig({ IMAGE_MODEL: MODEL, MULTILINGUAL_MODEL: MULTILINGUAL, HF_ENDPOINT: hub.url, MODEL_CACHE_DIR: cacheDir }),
      );
      await cached.image.warm();
      await cached.text.warm();
      const offline = createServerEmbedders(parseConfig({ IMAGE_MODEL: MODEL, MULTILINGUAL_MODEL: MULTILINGUAL, MODEL_DIR: cacheDir }));
      const [english, chinese] = await offline.text.embedTexts(["a mountain covered in snow", "雪山"]);
      assert.equal(english?.length, 512);
      assert.equal(chinese?.length, 512);
      await offline.image.warm();
    } finally {
      stop();
    }
    assert.deepEqual(updates, [], "nothing downloads, so no progress shows");
  });

  it("says once, naming the ways out, when the hub cannot be reached", async () => {
    const closed = await startHubStandIn(TEST_MODEL_ENV.MODEL_DIR);
    await closed.close();
    const { image } = createServerEmbedders(parseConfig({ IMAGE_MODEL: MODEL, HF_ENDPOINT: closed.url, MODEL_CACHE_DIR: tempDir() }));
    await assert.rejects(image.warm(), (e: Error & { code?: string }) => {
      assert.equal(e.code, "model_unavailable");
      assert.match(e.message, new RegExp(`image model ${MODEL}`));
      assert.match(e.message, /ECONNREFUSED/);
      for (const way of [/MODEL_DIR=/, /HF_ENDPOINT=https:\/\/hf-mirror\.com/, /npm run models:fetch -- --dir/])
        assert.match(e.message, way);
      return true;
    });
    assert.equal(image.loadState().state, "failed");
  });

  it("names the repository the hub does not have", async () => {
    const { text } = createServerEmbedders(
      parseConfig({ IMAGE_MODEL: "nobody/missing-model", HF_ENDPOINT: hub.url, MODEL_CACHE_DIR: tempDir() }),
    );
    await assert.rejects(
      text.warm(),
      (e: Error & { code?: string }) =>
        e.code === "model_unavailable" && /nobody\/missing-model/.test(e.message) && /MODEL_DIR=/.test(e.message),
    );
  });
});
