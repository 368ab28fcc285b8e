/** Query text embedded in a worker thread: the same vectors, states and errors as in-process. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { TEST_MODEL_ENV } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { ClipTextEmbedder } from "./clip";
import { createServerEmbedders } from "./index";
import { MultilingualTextEmbedder } from "./multilingual";
import { ThreadedTextTower } from "./text-thread";

const cfg = parseConfig({ ...TEST_MODEL_ENV, TEXT_DTYPE: "fp32" });
const space = { modelId: cfg.models.image.id, dims: 512 };

describe("text encoder thread", () => {
  it("gives the vectors the same tower gives in this thread, and reports it ready", async () => {
    const here = new ClipTextEmbedder(space, cfg.models);
    const thread = new ThreadedTextTower({ kind: "clip", space, models: cfg.models }, new ClipTextEmbedder(space, cfg.models));
    assert.equal(thread.loadState().state, "not loaded");
    const texts = ["a mountain covered in snow", "a red bus", "sunset by the sea"];
    const [expected, got] = await Promise.all([here.embedTexts(texts), thread.embedTexts(texts)]);
    assert.equal(got.length, 3);
    got.forEach((vector, i) => {
      assert.ok(vector instanceof Float32Array && vector.length === 512);
      assert.ok(dot(vector, expected[i]!) > 0.99999, `text ${i}: cosine ${dot(vector, expected[i]!)}`);
    });
    assert.equal(thread.loadState().state, "ready");
    assert.deepEqual(await thread.embedTexts([]), []);
  });

  it("runs the multilingual tower too", async () => {
    const model = cfg.models.multilingual!;
    const here = new MultilingualTextEmbedder(space, cfg.models, model);
    const thread = new ThreadedTextTower({ kind: "multilingual", space, models: cfg.models, model }, here);
    const [a] = await thread.embedTexts(["一只猫在沙发上"]);
    const [b] = await here.embedTexts(["一只猫在沙发上"]);
    assert.ok(dot(a!, b!) > 0.99999);
    assert.equal(thread.textModelId, model.id);
  });

  it("answers many concurrent queries, each with its own vector", async () => {
    const thread = new ThreadedTextTower({ kind: "clip", space, models: cfg.models }, new ClipTextEmbedder(space, cfg.models));
    const words = ["mountain", "beach", "city street", "dog", "cat", "red bus", "market", "river", "snowy peak", "sunset"];
    const texts = words.flatMap((word) => [word, `a photo of a ${word}`]);
    const vectors = await Promise.all(texts.map((text) => thread.embedTexts([text]).then(([v]) => v!)));
    const alone = await new ClipTextEmbedder(space, cfg.models).embedTexts(texts);
    vectors.forEach((vector, i) => assert.ok(dot(vector, alone[i]!) > 0.99999, `${texts[i]}: not its own vector`));
  });

  it("carries model_unavailable across the thread, with the model named", async () => {
    const missing = parseConfig({ MODEL_DIR: TEST_MODEL_ENV.MODEL_DIR, IMAGE_MODEL: "nobody/missing-model" });
    const thread = new ThreadedTextTower({ kind: "clip", space, models: missing.models }, new ClipTextEmbedder(space, missing.models));
    await assert.rejects(
      thread.embedTexts(["x"]),
      (e: Error & { code?: string; status?: number }) =>
        e.code === "model_unavailable" && e.status === 503 && /nobody\/missing-model/.test(e.message),
    );
    assert.equal(thread.loadState().state, "failed");
  });

  it("is what the server uses for queries unless TEXT_ENCODER_THREAD=off", async () => {
    const on = createServerEmbedders(cfg);
    const off = createServerEmbedders(parseConfig({ ...TEST_MODEL_ENV, TEXT_DTYPE: "fp32", TEXT_ENCODER_THREAD: "off" }));
    const [a, b] = await Promise.all([on.text.embedQuery("a dog on a beach"), off.text.embedQuery("a dog on a beach")]);
    assert.ok(dot(a.vector, b.vector) > 0.99999);
    assert.equal(a.textModel, b.textModel);
  });
});
