/**
 * Section 7's duplicates evaluation: a generated set with known ground truth, built from shared
 * photos in a temporary folder and ingested by the app into a fresh embedded library, then reviewed
 * by lib/duplicates with its default thresholds (the perceptual hash read from the thumbnails ingest
 * wrote, as the app does). Per original: an exact copy at another path, a resized re-encoding, a
 * heavy recompression, a 10% crop and a 90° rotation; plus unrelated photos, and "near but different"
 * pairs (each original with its closest other photo by the model). Precision and recall per class.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { buildContext } from "@/lib/context";
import { parseConfig } from "@/lib/config";
import { differenceHash, findDuplicates, type DuplicateGroup } from "@/lib/duplicates";
import { findImages } from "@/lib/ingest/files";
import { contentId } from "@/lib/ingest/pipeline";
import { thumbnailPath } from "@/lib/ingest/thumbnails";
import { COCO, DATASETS, PROJECT, TEST_MODEL_ENV, tempDir } from "@/lib/testing";
import { round } from "./measure";

type Variant = "exact copy" | "resized" | "recompressed" | "cropped" | "rotated";

const VARIANTS: { name: Variant; expected: "identical" | "near-identical"; make: (file: string) => Promise<Buffer> }[] = [
  { name: "exact copy", expected: "identical", make: async (file) => fs.readFileSync(file) },
  { name: "resized", expected: "near-identical", make: (file) => sharp(file).resize({ width: 320 }).jpeg({ quality: 85 }).toBuffer() },
  { name: "recompressed", expected: "near-identical", make: (file) => sharp(file).jpeg({ quality: 35 }).toBuffer() },
  {
    name: "cropped",
    expected: "near-identical",
    make: async (file) => {
      const { width = 100, height = 100 } = await sharp(file).metadata();
      const left = Math.round(width * 0.05);
      const top = Math.round(height * 0.05);
      return sharp(file)
        .extract({ left, top, width: width - 2 * left, height: height - 2 * top })
        .jpeg({ quality: 90 })
        .toBuffer();
    },
  },
  { name: "rotated", expected: "near-identical", make: (file) => sharp(file).rotate(90).jpeg({ quality: 90 }).toBuffer() },
];

/** The configured model when its weights are in MODEL_DIR, else the project's test model. */
function modelEnv(): { env: Record<string, string | undefined>; weights: "real" | "random" } {
  const configured = parseConfig(process.env).models;
  const onnx = configured.localDir ? path.join(configured.localDir, configured.image.id, "onnx") : undefined;
  const real = !!onnx && fs.existsSync(onnx) && fs.readdirSync(onnx).some((f) => f.startsWith("vision_model"));
  return real
    ? { env: process.env, weights: "real" }
    : { env: { ...TEST_MODEL_ENV, MODEL_DIR: path.join(PROJECT, "fixtures", "models") }, weights: "random" };
}

export async function duplicatesEvaluation(options: { quick: boolean; log: (m: string) => void }) {
  const originals = findImages(path.join(COCO, "images")).slice(0, options.quick ? 15 : 40);
  const unrelated = findImages(path.join(DATASETS, "flickr8k-1k", "images")).slice(0, options.quick ? 30 : 100);
  const folder = tempDir();
  const truth: { a: string; b: string; variant: Variant | "near but different"; expected?: string }[] = [];
  const idOf = (bytes: Buffer) => contentId(bytes);
  for (const [i, file] of originals.entries()) {
    const original = fs.readFileSync(file);
    fs.mkdirSync(path.join(folder, "originals"), { recursive: true });
    fs.writeFileSync(path.join(folder, "originals", `${i}.jpg`), original);
    for (const v of VARIANTS) {
      const bytes = await v.make(file);
      const target = path.join(folder, v.name.replace(" ", "-"), `${i}.jpg`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      truth.push({ a: idOf(original), b: idOf(bytes), variant: v.name, expected: v.expected });
    }
  }
  for (const [i, file] of unrelated.entries()) {
    fs.mkdirSync(path.join(folder, "unrelated"), { recursive: true });
    fs.copyFileSync(file, path.join(folder, "unrelated", `${i}.jpg`));
  }
  const { env, weights } = modelEnv();
  const cfg = parseConfig({ ...env, DATA_DIR: tempDir(), STORE: "embedded" });
  const ctx = buildContext(cfg);
  try {
    options.log(
      `duplicates: ingesting ${originals.length} originals, ${truth.length} variants, ${unrelated.length} unrelated (${weights} weights)`,
    );
    await ctx.ingestor.ingest(folder, findImages(folder));
    // Near but different: each original's closest other photo that is none of its own variants.
    const own = new Map<string, Set<string>>();
    for (const t of truth) own.set(t.a, new Set([...(own.get(t.a) ?? []), t.b, t.a]));
    for (const [a, mine] of own) {
      const vector = await ctx.store.getVector(a);
      if (!vector) continue;
      const near = await ctx.store.searchVector({ vector, k: 1, offset: 0, filter: { excludeIds: [...mine] } });
      const b = near.hits[0]?.photo.id;
      if (b) truth.push({ a, b, variant: "near but different" });
    }
    const hashOf = async (photo: { id: string }) => {
      const file = thumbnailPath(cfg.dataDir, photo.id);
      return fs.existsSync(file) ? differenceHash(file) : undefined;
    };
    const groups = await findDuplicates(ctx.store, hashOf);
    return {
      weights,
      model: ctx.embedders.space.modelId,
      originals: originals.length,
      variants: truth.length - own.size,
      unrelated: unrelated.length,
      ...score(truth, groups),
    };
  } finally {
    await ctx.store.close();
  }
}

/** Per class: recall of the true pairs found in that class, precision of the pairs the class reports. */
function score(truth: { a: string; b: string; variant: string; expected?: string }[], groups: DuplicateGroup[]) {
  const classOf = new Map<string, string>(); // "a|b" -> class of the group holding both
  for (const g of groups) {
    const ids = g.photos.map((p) => p.id);
    if (g.class === "identical") classOf.set(`${ids[0]}|${ids[0]}`, "identical");
    for (const a of ids) for (const b of ids) if (a !== b) classOf.set(`${a}|${b}`, g.class);
  }
  const truePairs = new Set(truth.filter((t) => t.expected).map((t) => `${t.a}|${t.b}`));
  const variants = [...new Set(truth.map((t) => t.variant))];
  const classes = variants.map((variant) => {
    const rows = truth.filter((t) => t.variant === variant);
    const found = rows.filter((t) => classOf.get(`${t.a}|${t.b}`) === (t.expected ?? "none")).length;
    const grouped = rows.filter((t) => classOf.has(`${t.a}|${t.b}`)).length;
    return {
      truth: variant,
      pairs: rows.length,
      expected: rows[0]?.expected ?? "not grouped",
      // For near-but-different pairs, "recall" is the share correctly left apart.
      recall: round(rows[0]?.expected ? found / rows.length : 1 - grouped / rows.length, 3),
    };
  });
  const predicted = (cls: string) => {
    const pairs: string[] = [];
    for (const g of groups.filter((x) => x.class === cls)) {
      const ids = g.photos.map((p) => p.id);
      if (cls === "identical") pairs.push(`${ids[0]}|${ids[0]}`);
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push(`${ids[i]}|${ids[j]}`);
    }
    return pairs;
  };
  const isTrue = (pair: string) => {
    const [a, b] = pair.split("|");
    return truePairs.has(pair) || truePairs.has(`${b}|${a}`) || sameSource(truth, a!, b!);
  };
  const precision: Record<string, number | null> = {};
  for (const cls of ["identical", "near-identical", "burst"]) {
    const pairs = predicted(cls);
    precision[cls] = pairs.length ? round(pairs.filter(isTrue).length / pairs.length, 3) : null;
  }
  return {
    classes: classes.map((c) => ({ ...c, precision: c.expected === "not grouped" ? null : precision[c.expected] })),
    precisionByClass: precision,
    groups: groups.length,
  };
}

/** Two variants of one original count as a true pair too (a resized and a cropped copy of one photo). */
function sameSource(truth: { a: string; b: string; expected?: string }[], x: string, y: string): boolean {
  const source = (id: string) => truth.find((t) => t.expected && (t.b === id || t.a === id))?.a;
  const sx = source(x);
  return sx !== undefined && sx === source(y);
}
