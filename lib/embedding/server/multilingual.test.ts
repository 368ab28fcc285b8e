/**
 * Parity: the app's multilingual vectors (transformers.js on the exported ONNX graph, pooling and
 * Dense inside) equal Python sentence-transformers' on the same folder (its PyTorch weights), for
 * English, Chinese, Japanese, German, emoji, mixed and 128+-token text. The reference vectors are
 * committed (fixtures/multilingual-reference/vectors.json, made by
 * scripts/test-model/reference_multilingual.py), with the sha256 of the model files they came from:
 * a reference from other model files fails here rather than passing by accident.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Tensor } from "@huggingface/transformers";
import { parseConfig } from "@/lib/config";
import { PROJECT, TEST_MODEL_ENV } from "@/lib/testing";
import { dot } from "@/lib/vector";
import { CLIP_DIMS } from "./clip";
import { MultilingualTextEmbedder, sentenceEmbeddings } from "./multilingual";

const REFERENCE_DIR = path.join(PROJECT, "fixtures", "multilingual-reference");
const texts = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, "texts.json"), "utf8")) as { name: string; text: string }[];
const reference = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, "vectors.json"), "utf8")) as {
  model: string;
  maxSeqLength: number;
  files: Record<string, string>;
  vectors: { name: string; tokens: number; values: number[] }[];
};

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const x = Float32Array.from(a as number[]);
  const y = Float32Array.from(b as number[]);
  return dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
};

function embedder(dtype: string, dims = CLIP_DIMS) {
  const cfg = parseConfig({ ...TEST_MODEL_ENV, TEXT_DTYPE: dtype });
  return new MultilingualTextEmbedder({ modelId: cfg.models.image.id, dims }, cfg.models, cfg.models.multilingual!);
}

describe("multilingual text encoder", () => {
  it("the reference was made from the committed model files", () => {
    const folder = path.join(PROJECT, reference.model);
    assert.equal(path.basename(folder), TEST_MODEL_ENV.MULTILINGUAL_MODEL.split("/").pop());
    for (const [file, sha256] of Object.entries(reference.files)) {
      const actual = createHash("sha256")
        .update(fs.readFileSync(path.join(folder, file)))
        .digest("hex");
      assert.equal(actual, sha256, `${file} changed since the reference was made: rerun scripts/test-model/reference_multilingual.py`);
    }
    assert.deepEqual(
      reference.vectors.map((v) => v.name),
      texts.map((t) => t.name),
    );
    assert.ok(
      reference.vectors.some((v) => v.tokens > reference.maxSeqLength),
      "a text longer than the model's 128 tokens",
    );
  });

  it("matches Python sentence-transformers (fp32, cosine >= 0.9999), one text at a time and in one padded batch", async () => {
    const fp32 = embedder("fp32");
    const batch = await fp32.embedTexts(texts.map((t) => t.text));
    for (const [i, { name, text }] of texts.entries()) {
      const [single] = await fp32.embedTexts([text]);
      const expected = reference.vectors[i]!.values;
      assert.equal(single!.length, 512);
      assert.ok(cosine(single!, expected) >= 0.9999, `${name}: cosine ${cosine(single!, expected)}`);
      assert.ok(cosine(batch[i]!, expected) >= 0.9999, `${name} in a batch: cosine ${cosine(batch[i]!, expected)}`);
    }
  });

  it("stays close with int8 weights (q8, the default)", async () => {
    const q8 = await embedder("q8").embedTexts(texts.map((t) => t.text));
    for (const [i, { name }] of texts.entries()) {
      const agreement = cosine(q8[i]!, reference.vectors[i]!.values);
      assert.ok(agreement > 0.98, `${name}: q8 cosine ${agreement}`);
    }
  });

  it("refuses a model whose vectors are not the image space's size, naming both sizes", async () => {
    await assert.rejects(embedder("fp32", 768).embedTexts(["雪山"]), (e: Error & { code?: string }) => {
      assert.equal(e.code, "model_unavailable");
      assert.match(e.message, /produces 512-dim vectors, but the image space \(photo-search\/clip-vit-tiny-random\) has 768/);
      assert.match(e.message, /npm run models:export/);
      return true;
    });
  });

  it("mean-pools the token states of an export that stops at the transformer, and takes a port's pooled output", () => {
    const states = new Tensor("float32", Float32Array.from([1, 2, 3, 4, 100, 100]), [1, 3, 2]);
    const mask = new Tensor("int64", BigInt64Array.from([1n, 1n, 0n]), [1, 3]);
    assert.deepEqual(Array.from(sentenceEmbeddings({ last_hidden_state: states }, mask).data as Float32Array), [2, 3]);
    const projected = new Tensor("float32", new Float32Array(512), [1, 512]);
    assert.equal(sentenceEmbeddings({ sentence_embedding: projected, last_hidden_state: states }, mask), projected);
    assert.equal(sentenceEmbeddings({ embeddings: projected, last_hidden_state: states }, mask), projected, "a port's one pooled output");
  });
});
