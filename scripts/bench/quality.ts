/**
 * Section 5: retrieval quality. With the real CLIP weights in MODEL_DIR (the model the app is
 * configured with: IMAGE_MODEL, TEXT_MODEL), it measures zero-shot CIFAR-10 accuracy and Flickr8k /
 * COCO recall@K through the app's own decode and embedders, for every pairing of fp32 and int8
 * towers, after a parity check against a reference implementation (scripts/bench/reference_embed.py).
 *
 * These machines cannot download the weights, so without them the section says so, and runs the same
 * code on the full-size random-weight model on fewer photos: its accuracy is chance (10% on CIFAR-10),
 * which checks the harness, while the parity and fp32/int8 agreement figures hold for any weights.
 */
import { AutoTokenizer } from "@huggingface/transformers";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { embedImageFiles, embedTextsInBatches } from "./embed-batches";
import { configureModelSource } from "@/lib/embedding/server/environment";
import { decodeImage } from "@/lib/ingest/image";
import { meanAbsDifference } from "@/lib/testing";
import { fromBuffer } from "@/lib/vector";
import { agreement, classVectors, retrievalRecall, zeroShotAccuracy } from "./quality-metrics";
import { CIFAR_TEMPLATES, captioned, cifar10, type Captioned, type Labelled } from "./quality-data";

const DTYPES = ["fp32", "q8"] as const;
type Dtype = (typeof DTYPES)[number];

export interface QualityOptions {
  quick: boolean;
  /** The random full-size model, for the harness check when the real weights are absent. */
  testModel: { dir: string; id: string };
  log: (message: string) => void;
}

interface Sizes {
  cifarPerClass: number;
  flickr?: number;
  parity: number;
}

/** Where the configured model's ONNX files would be, and whether both towers are there. */
function configuredModel() {
  const models = parseConfig(process.env).models;
  const has = (id: string, tower: string) =>
    !!models.localDir &&
    fs.existsSync(path.join(models.localDir, id, "onnx")) &&
    fs.readdirSync(path.join(models.localDir, id, "onnx")).some((f) => f.startsWith(`${tower}_model`));
  const present = has(models.image.id, "vision") && has(models.text.id, "text");
  return { models, present };
}

export async function retrievalQuality(options: QualityOptions) {
  const { models, present } = configuredModel();
  if (present) {
    const env = {
      MODEL_DIR: models.localDir!,
      IMAGE_MODEL: models.image.id,
      TEXT_MODEL: models.text.id,
    };
    return {
      weights: "real",
      model: `${models.image.id} + ${models.text.id}`,
      ...(await evaluate(
        env,
        options.quick ? { cifarPerClass: 100, flickr: undefined, parity: 50 } : { cifarPerClass: 1000, flickr: undefined, parity: 200 },
        options.log,
      )),
    };
  }
  // Where the weights were looked for; the report says what to do about it.
  const absent = { modelId: models.image.id, folder: models.localDir ? path.join(models.localDir, models.image.id, "onnx") : undefined };
  options.log("retrieval quality: real weights absent; harness check on the random full-size model");
  const env = { MODEL_DIR: options.testModel.dir, IMAGE_MODEL: options.testModel.id };
  return {
    weights: "random",
    absent,
    model: options.testModel.id,
    ...(await evaluate(
      env,
      options.quick ? { cifarPerClass: 20, flickr: 100, parity: 24 } : { cifarPerClass: 50, flickr: 300, parity: 48 },
      options.log,
    )),
  };
}

async function evaluate(env: Record<string, string>, sizes: Sizes, log: (m: string) => void) {
  const cifar = cifar10(sizes.cifarPerClass);
  const sets = [captioned("flickr8k-1k", sizes.flickr), captioned("coco-mini")];
  const prompts = cifar.classes.flatMap((c) => CIFAR_TEMPLATES.map((t) => t.replace("{}", c)));
  const vectors = {} as Record<Dtype, Embedded>;
  for (const dtype of DTYPES) {
    log(
      `retrieval quality: embedding ${cifar.images.length + sets.reduce((n, s) => n + s.images.length, 0)} photos and ${prompts.length + sets.reduce((n, s) => n + s.captions.length, 0)} texts, ${dtype}`,
    );
    vectors[dtype] = await embedAll({ ...env, IMAGE_DTYPE: dtype, TEXT_DTYPE: dtype }, cifar, sets, prompts);
  }
  const pairings = DTYPES.flatMap((image) =>
    DTYPES.map((text) => ({ image, text, ...scores(vectors[image], vectors[text], cifar, sets) })),
  );
  const fp32VsQ8 = {
    image: agreement(vectors.fp32.sets[0]!.images, vectors.q8.sets[0]!.images),
    text: agreement(vectors.fp32.sets[0]!.captions, vectors.q8.sets[0]!.captions),
  };
  log("retrieval quality: parity against the Python reference");
  const parity = await parityCheck(env, sets, vectors, sizes.parity);
  return {
    photos: { cifar10: cifar.images.length, ...Object.fromEntries(sets.map((s) => [s.name, s.images.length])) },
    pairings,
    fp32VsQ8,
    parity,
  };
}

interface Embedded {
  cifar: Float32Array[];
  prompts: Float32Array[];
  sets: { images: Float32Array[]; captions: Float32Array[] }[];
}

/** Photos through the app's decode (EXIF orientation, sharp's resize and crop) and embedders, as ingest does. */
async function embedAll(env: Record<string, string>, cifar: Labelled, sets: Captioned[], prompts: string[]): Promise<Embedded> {
  // CLIP's own text tower: this section measures CLIP; the multilingual section measures the routing.
  const { image, clipText: text } = createServerEmbedders(parseConfig(env));
  const embedImages = (files: string[]) => embedImageFiles(image, files);
  const embedTexts = (texts: string[]) => embedTextsInBatches(text, texts);
  const embedded: Embedded = { cifar: await embedImages(cifar.images), prompts: await embedTexts(prompts), sets: [] };
  for (const set of sets) embedded.sets.push({ images: await embedImages(set.images), captions: await embedTexts(set.captions) });
  return embedded;
}

/** Zero-shot accuracy (one prompt, the 18-prompt ensemble) and recall@K for one pairing of towers. */
function scores(images: Embedded, texts: Embedded, cifar: Labelled, sets: Captioned[]) {
  const perClass = CIFAR_TEMPLATES.length;
  const single = texts.prompts.filter((_, i) => i % perClass === 0);
  return {
    cifar10: {
      single: zeroShotAccuracy(images.cifar, cifar.labels, single),
      ensemble: zeroShotAccuracy(images.cifar, cifar.labels, classVectors(texts.prompts, cifar.classes.length)),
    },
    retrieval: Object.fromEntries(
      sets.map((s, i) => [s.name, retrievalRecall(images.sets[i]!.images, texts.sets[i]!.captions, s.imageOfCaption)]),
    ),
  };
}

/**
 * The first photos and captions of each set (`count` in all) through the reference, against ours: the vectors
 * for each precision, and the model inputs (the 224-pixel crop, the token ids), which are the same
 * for any weights and so tell even with random ones whether our preprocessing is the reference's.
 */
async function parityCheck(env: Record<string, string>, sets: Captioned[], ours: Record<Dtype, Embedded>, count: number) {
  // An equal share from each set: Flickr8k's small photos are enlarged to 224 pixels, COCO's reduced.
  const share = Math.ceil(count / sets.length);
  const images = sets.flatMap((s) => s.images.slice(0, share));
  const texts = sets.flatMap((s) => s.captions.slice(0, share));
  const out: Record<string, unknown> = {};
  for (const dtype of DTYPES) {
    const reference = runReference(env, dtype, images, texts);
    const oursImages = ours[dtype].sets.flatMap((s) => s.images.slice(0, share));
    const oursTexts = ours[dtype].sets.flatMap((s) => s.captions.slice(0, share));
    out[dtype] = {
      image: agreement(oursImages, reference.vectors.slice(0, images.length)),
      text: agreement(oursTexts, reference.vectors.slice(images.length)),
    };
    out.inputs ??= await inputParity(env, images, texts, reference);
  }
  return out;
}

function runReference(env: Record<string, string>, dtype: Dtype, images: string[], texts: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-parity-"));
  const out = path.join(dir, "vectors.f32");
  const folder = (id: string | undefined) => path.join(env.MODEL_DIR!, id ?? env.IMAGE_MODEL!);
  const request = { image_folder: folder(env.IMAGE_MODEL), text_folder: folder(env.TEXT_MODEL), dtype, images, texts, out };
  // Quiet: transformers warns that PyTorch is absent; only its tokenizer and Pillow processor are used.
  const quiet = { ...process.env, TRANSFORMERS_VERBOSITY: "error" };
  execFileSync("python3", [path.resolve("scripts/bench/reference_embed.py")], {
    input: JSON.stringify(request),
    stdio: ["pipe", "ignore", "inherit"],
    env: quiet,
  });
  const data = fromBuffer(fs.readFileSync(out));
  const dims = data.length / (images.length + texts.length);
  const result = {
    vectors: Array.from({ length: images.length + texts.length }, (_, i) => data.subarray(i * dims, (i + 1) * dims)),
    pixels: fs.readFileSync(`${out}.pixels`),
    tokens: JSON.parse(fs.readFileSync(`${out}.tokens.json`, "utf8")) as number[][],
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Mean absolute difference of the crops in levels (0-255), worst photo too; share of texts tokenized identically. */
async function inputParity(
  env: Record<string, string>,
  images: string[],
  texts: string[],
  reference: { pixels: Buffer; tokens: number[][] },
) {
  const size = 224 * 224 * 3;
  const perImage: number[] = [];
  for (const [i, file] of images.entries()) {
    const ours = (await decodeImage(fs.readFileSync(file), { maxPixels: 1e8, thumbnailSize: 32 })).embedInput.data;
    perImage.push(meanAbsDifference(ours, reference.pixels.subarray(i * size, (i + 1) * size)));
  }
  const models = parseConfig(env).models;
  configureModelSource(models);
  const tokenizer = await AutoTokenizer.from_pretrained(models.text.id);
  const identical = texts.filter((t, i) => JSON.stringify(Array.from(tokenizer.encode(t))) === JSON.stringify(reference.tokens[i])).length;
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return {
    pixelLevels: { mean: r(perImage.reduce((a, b) => a + b, 0) / perImage.length), worst: r(Math.max(...perImage)), count: images.length },
    tokens: { identical, count: texts.length },
  };
}
