/** The server embedders, loading the project's CLIP-architecture test model through the production loader. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { decodeImage } from "@/lib/ingest/image";
import { COCO, TEST_MODEL_ENV } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { createServerEmbedders } from "./index";

const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

for (const dtype of ["fp32", "q8"]) {
  describe(`CLIP embedders (${dtype})`, () => {
    const { text, image, space } = createServerEmbedders(parseConfig({ ...TEST_MODEL_ENV, IMAGE_DTYPE: dtype, TEXT_DTYPE: dtype }));

    it("embed text into unit vectors of 512 dims, the same text the same way", async () => {
      const [a, b, again] = await text.embedTexts(["a mountain covered in snow", "一只猫", "a mountain covered in snow"]);
      assert.equal(space.dims, 512);
      assert.equal(a!.length, 512);
      assert.ok(Math.abs(norm(a!) - 1) < 1e-5 && Math.abs(norm(b!) - 1) < 1e-5);
      assert.ok(dot(a!, again!) > 0.9999);
      assert.ok(dot(a!, b!) < 0.99, "different texts get different vectors");
    });

    it("embed a batch of images as one at a time", async () => {
      const dir = path.join(COCO, "images", "val2017");
      const files = fs
        .readdirSync(dir)
        .slice(0, 10)
        .map((f) => path.join(dir, f));
      const inputs = await Promise.all(
        files.map(async (f) => (await decodeImage(fs.readFileSync(f), { maxPixels: 1e8, thumbnailSize: 64 })).embedInput),
      );
      const batch = await image.embedImages(inputs);
      const single = await image.embedImages([inputs[3]!]);
      assert.equal(batch.length, 10);
      // fp32 is exact. int8 models quantize activations dynamically with one scale per tensor, so a
      // photo's vector depends slightly on its batch-mates (measured: cosine 0.9994); that is one
      // reason the image tower defaults to fp32.
      const agreement = dot(batch[3]!, single[0]!);
      assert.ok(dtype === "fp32" ? agreement > 0.99999 : agreement > 0.999, `batch vs single: ${agreement}`);
      assert.ok(Math.abs(norm(batch[0]!) - 1) < 1e-5);
      assert.ok(dot(batch[0]!, batch[1]!) < 0.95, "different photos get different vectors");
    });
  });
}

describe("model loading", () => {
  it("names the model and the source when a model cannot be found", async () => {
    const { text } = createServerEmbedders(parseConfig({ MODEL_DIR: TEST_MODEL_ENV.MODEL_DIR, IMAGE_MODEL: "nobody/missing-model" }));
    await assert.rejects(
      text.embedTexts(["x"]),
      (e: Error & { code?: string }) =>
        e.code === "model_unavailable" && /nobody\/missing-model/.test(e.message) && /fixtures\/models/.test(e.message),
    );
  });
});
