/**
 * Section 7: search understanding. A labelled evaluation of the relevance cut-off and of negative
 * queries, generated here from the shared datasets:
 * - COCO-mini's object labels (instances_*.json): the query "a photo of a dog" is relevant to the
 *   photos labelled dog; negative pairs "a photo of a <A>" − "<B>" for labels that co-occur.
 * - Flickr8k-1k's captions: "a photo of a <word>" is relevant to photos whose captions use the word.
 * - CIFAR-10's classes (the first 100 test photos of each): "a photo of a cat" is relevant to the cats,
 *   a tenth of the set: a relevant set that fills half of the candidate window.
 *
 * Each set is scored twice: with the configured CLIP model (the real weights when MODEL_DIR has them,
 * else the project's random test model, whose semantic figures are at chance, said so), and with a
 * label-space simulation: vectors built from the labels with CLIP-like geometry (a text/image modality
 * gap, text→image cosines near 0.15–0.35). The simulation tests the algorithms on real label
 * co-occurrence, not any model. The algorithms are the app's own: relevantCount, combine, demote.
 */
import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import type { RgbImage } from "@/lib/embedding/types";
import { decodeImage } from "@/lib/ingest/image";
import { PROFILES, relevantCount, type CutoffProfile } from "@/lib/relevance";
import { demote, RELEVANCE_WINDOW } from "@/lib/search/ranking";
import { combine, type NegativeStrategy } from "@/lib/search/service";
import type { Hit, Photo } from "@/lib/store/types";
import { COCO, DATASETS, PROJECT, randomUnitVector, seededRandom, TEST_MODEL_ENV } from "@/lib/testing";
import { dot, l2normalize } from "@/lib/vector";
import { duplicatesEvaluation } from "./duplicates-eval";
import { round } from "./measure";

/** A photo set with labels: the truth for every query. */
export interface LabelledSet {
  name: string;
  images: string[];
  /** Label names of each photo. */
  labels: Set<string>[];
  /** Area share of each label in each photo (COCO), for the simulation's weights. */
  weights: Map<string, number>[];
}

export function cocoLabels(): LabelledSet {
  const images: string[] = [];
  const labels: Set<string>[] = [];
  const weights: Map<string, number>[] = [];
  for (const split of ["val2017", "train2017"]) {
    const file = path.join(COCO, `instances_${split}.json`);
    if (!fs.existsSync(file)) continue;
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as {
      images: { id: number; file_name: string; width: number; height: number }[];
      annotations: { image_id: number; category_id: number; area: number }[];
      categories: { id: number; name: string }[];
    };
    const names = new Map(data.categories.map((c) => [c.id, c.name]));
    for (const image of data.images) {
      const file = path.join(COCO, "images", split, image.file_name);
      if (!fs.existsSync(file)) continue;
      const areas = new Map<string, number>();
      for (const a of data.annotations.filter((a) => a.image_id === image.id)) {
        const name = names.get(a.category_id)!;
        areas.set(name, (areas.get(name) ?? 0) + a.area / (image.width * image.height));
      }
      images.push(file);
      labels.push(new Set(areas.keys()));
      weights.push(areas);
    }
  }
  return { name: "coco-mini (object labels)", images, labels, weights };
}

const FLICKR_WORDS = [
  "dog",
  "man",
  "woman",
  "girl",
  "boy",
  "child",
  "water",
  "grass",
  "snow",
  "beach",
  "ball",
  "bike",
  "street",
  "mountain",
  "crowd",
  "car",
];

export function flickrLabels(limit?: number): LabelledSet {
  const folder = path.join(DATASETS, "flickr8k-1k");
  const entries = (
    JSON.parse(fs.readFileSync(path.join(folder, "captions.json"), "utf8")) as { image: string; captions: string[] }[]
  ).slice(0, limit);
  const labels = entries.map((e) => {
    const words = new Set(
      e.captions
        .join(" ")
        .toLowerCase()
        .split(/[^a-z]+/),
    );
    return new Set(FLICKR_WORDS.filter((w) => words.has(w) || words.has(`${w}s`)));
  });
  return {
    name: "flickr8k-1k (caption words)",
    images: entries.map((e) => path.join(folder, e.image)),
    labels,
    weights: labels.map((set) => new Map([...set].map((l) => [l, 1 / set.size]))),
  };
}

export function cifarLabels(perClass = 100): LabelledSet {
  const folder = path.join(DATASETS, "cifar10-test");
  const rows = fs
    .readFileSync(path.join(folder, "labels-1k.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","))
    .filter((row) => Number(/(\d+)\.jpg$/.exec(row[0]!)?.[1]) < perClass);
  const labels = rows.map((row) => new Set([row[1]!]));
  return {
    name: "cifar10 (classes)",
    images: rows.map((row) => path.join(folder, row[0]!)),
    labels,
    weights: labels.map((set) => new Map([...set].map((l) => [l, 1]))),
  };
}

/** The cut-off as it was before the two-group split (rules 1-3 only): the baseline it replaced. */
const PREVIOUS_TEXT_PROFILE: CutoffProfile = { ...PROFILES.text, minSeparation: Infinity };

/** Vectors for a set's photos and for the label queries. */
export interface Space {
  images: Float32Array[];
  text: (label: string) => Float32Array;
  /** Model id for the cut-off's calibration (undefined for the simulation). */
  modelId?: string;
}

/** CLIP-like vectors from labels: images and texts share concept directions, each with its modality offset. */
export function simulatedSpace(set: LabelledSet, seed = 7): Space {
  const random = seededRandom(seed);
  const concepts = new Map<string, Float32Array>();
  const concept = (label: string) => {
    if (!concepts.has(label)) concepts.set(label, randomUnitVector(random));
    return concepts.get(label)!;
  };
  const imageMode = randomUnitVector(random);
  const textMode = randomUnitVector(random);
  const mix = (parts: [Float32Array, number][]) => {
    const out = new Float32Array(512);
    for (const [v, w] of parts) for (let i = 0; i < 512; i++) out[i]! += w * v[i]!;
    return l2normalize(out);
  };
  const images = set.weights.map((weights) => {
    const parts: [Float32Array, number][] = [...weights].map(([label, share]) => [concept(label), 0.5 * Math.sqrt(Math.min(1, share * 2))]);
    return mix([...parts, [imageMode, 0.8], [textMode, 0.15], [randomUnitVector(random), 0.45]]);
  });
  const texts = new Map<string, Float32Array>();
  return {
    images,
    text: (label) => {
      if (!texts.has(label))
        texts.set(
          label,
          mix([
            [concept(label), 0.5],
            [textMode, 0.8],
            [imageMode, 0.15],
            [randomUnitVector(random), 0.25],
          ]),
        );
      return texts.get(label)!;
    },
  };
}

/** The configured model (real weights when present), else the project's random test model. */
export async function modelSpace(
  set: LabelledSet,
  log: (m: string) => void,
): Promise<Space & { weights: "real" | "random"; model: string }> {
  const configured = parseConfig(process.env).models;
  const onnx = configured.localDir ? path.join(configured.localDir, configured.image.id, "onnx") : undefined;
  const real = !!onnx && fs.existsSync(onnx) && fs.readdirSync(onnx).some((f) => f.startsWith("vision_model"));
  const env = real ? process.env : { ...TEST_MODEL_ENV, MODEL_DIR: path.join(PROJECT, "fixtures", "models") };
  const { image, clipText } = createServerEmbedders(parseConfig(env));
  log(`understanding: embedding ${set.images.length} photos of ${set.name} (${real ? "real weights" : "random test model"})`);
  const images: Float32Array[] = [];
  for (let i = 0; i < set.images.length; i += 16) {
    const batch: RgbImage[] = [];
    for (const file of set.images.slice(i, i + 16))
      batch.push((await decodeImage(fs.readFileSync(file), { maxPixels: 1e8, thumbnailSize: 32 })).embedInput);
    images.push(...(await image.embedImages(batch)));
  }
  const labels = [...new Set(set.labels.flatMap((l) => [...l]))];
  const vectors = await clipText.embedTexts(labels.map(prompt));
  const byLabel = new Map(labels.map((l, i) => [l, vectors[i]!]));
  return {
    images,
    text: (label) => byLabel.get(label)!,
    modelId: clipText.textModelId,
    weights: real ? "real" : "random",
    model: image.space.modelId,
  };
}

const prompt = (label: string) => `a photo of a ${label}`;

function rank(space: Space, vector: Float32Array): Hit[] {
  return space.images
    .map((v, i) => ({ photo: { id: String(i) } as Photo, score: dot(v, vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, RELEVANCE_WINDOW);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Precision and recall of a returned set against the relevant ids. */
function pr(returned: Hit[], relevant: (i: number) => boolean, total: number) {
  const hits = returned.filter((h) => relevant(Number(h.photo.id))).length;
  return { precision: returned.length ? hits / returned.length : 1, recall: total ? hits / total : 1 };
}

const FIXED_K = [5, 10, 24];

/** The cut-off against fixed top-k: macro precision, recall and F1 over every label with ≥ 3 photos. */
export function evaluateCutoff(set: LabelledSet, space: Space) {
  const labels = [...new Set(set.labels.flatMap((l) => [...l]))].filter((l) => set.labels.filter((s) => s.has(l)).length >= 3);
  const rows: Record<string, { precision: number[]; recall: number[]; returned: number[] }> = {};
  const add = (name: string, returned: Hit[], label: string) => {
    const total = set.labels.filter((s) => s.has(label)).length;
    const { precision, recall } = pr(returned, (i) => set.labels[i]!.has(label), total);
    rows[name] ??= { precision: [], recall: [], returned: [] };
    rows[name].precision.push(precision);
    rows[name].recall.push(recall);
    rows[name].returned.push(returned.length);
  };
  for (const label of labels) {
    const ranked = rank(space, space.text(label));
    const relevant = relevantCount(
      ranked.map((h) => h.score),
      { kind: "text", modelId: space.modelId },
    );
    add("adaptive cut-off", ranked.slice(0, relevant), label);
    const previous = relevantCount(
      ranked.map((h) => h.score),
      { kind: "text", modelId: space.modelId, profile: PREVIOUS_TEXT_PROFILE },
    );
    add("previous cut-off (no split)", ranked.slice(0, previous), label);
    for (const k of FIXED_K) add(`top-${k}`, ranked.slice(0, k), label);
  }
  return {
    queries: labels.length,
    methods: Object.entries(rows).map(([method, r]) => {
      const precision = mean(r.precision);
      const recall = mean(r.recall);
      return {
        method,
        precision: round(precision, 3),
        recall: round(recall, 3),
        f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0, 3),
        meanReturned: round(mean(r.returned), 1),
      };
    }),
  };
}

const STRATEGIES: (NegativeStrategy | "none")[] = ["none", "vector", "demote", "both"];

/**
 * "a photo of a <A>" − "<B>" for label pairs that co-occur in ≥ 2 photos while A appears without B in
 * ≥ 2: among the results (the relevant ones, and the fixed top-10), the share still showing B (lower is
 * better) and the precision and recall for "A without B".
 */
export function evaluateNegatives(set: LabelledSet, space: Space, maxPairs = 40) {
  const labels = [...new Set(set.labels.flatMap((l) => [...l]))];
  const pairs: [string, string][] = [];
  for (const a of labels)
    for (const b of labels) {
      if (a === b) continue;
      const both = set.labels.filter((s) => s.has(a) && s.has(b)).length;
      const aOnly = set.labels.filter((s) => s.has(a) && !s.has(b)).length;
      if (both >= 2 && aOnly >= 2) pairs.push([a, b]);
    }
  pairs.sort((x, y) => x.join().localeCompare(y.join()));
  const used = pairs.filter((_, i) => i % Math.max(1, Math.ceil(pairs.length / maxPairs)) === 0);
  const results = STRATEGIES.map((strategy) => {
    const leakRelevant: number[] = [];
    const leakTop10: number[] = [];
    const precision: number[] = [];
    const recall: number[] = [];
    for (const [a, b] of used) {
      const pos = { vector: space.text(a), weight: 1, kind: "text" as const, model: "" };
      const neg = { vector: space.text(b), weight: 1, kind: "text" as const, model: "" };
      const moved = strategy === "vector" || strategy === "both";
      const ranked = rank(space, moved ? combine([pos], [neg]) : pos.vector);
      let demoted = new Set<string>();
      if (strategy === "demote" || strategy === "both") {
        const negRanked = rank(space, neg.vector);
        const n = relevantCount(
          negRanked.map((h) => h.score),
          { kind: "text", modelId: space.modelId },
        );
        demoted = new Set(negRanked.slice(0, n).map((h) => h.photo.id));
      }
      const window = demote(ranked, demoted);
      const relevant = relevantCount(
        window.hits.slice(0, window.kept).map((h) => h.score),
        { kind: "text", modelId: space.modelId },
      );
      const shown = window.hits.slice(0, relevant);
      const top10 = window.hits.slice(0, 10);
      const hasB = (h: Hit) => set.labels[Number(h.photo.id)]!.has(b);
      leakRelevant.push(shown.length ? shown.filter(hasB).length / shown.length : 0);
      leakTop10.push(top10.filter(hasB).length / top10.length);
      const wanted = (i: number) => set.labels[i]!.has(a) && !set.labels[i]!.has(b);
      const total = set.labels.filter((s) => s.has(a) && !s.has(b)).length;
      const score = pr(shown, wanted, total);
      precision.push(score.precision);
      recall.push(score.recall);
    }
    return {
      strategy,
      excludedShareRelevant: round(mean(leakRelevant), 3),
      excludedShareTop10: round(mean(leakTop10), 3),
      precision: round(mean(precision), 3),
      recall: round(mean(recall), 3),
    };
  });
  return { pairs: used.length, strategies: results };
}

export async function searchUnderstanding(options: { quick: boolean; log: (m: string) => void }) {
  const sets = [cocoLabels(), flickrLabels(options.quick ? 300 : 1000), cifarLabels(options.quick ? 50 : 100)];
  const out = [];
  for (const set of sets) {
    const simulated = simulatedSpace(set);
    const model = await modelSpace(set, options.log);
    out.push({
      set: set.name,
      photos: set.images.length,
      simulation: { cutoff: evaluateCutoff(set, simulated), negatives: evaluateNegatives(set, simulated) },
      model: { weights: model.weights, model: model.model, cutoff: evaluateCutoff(set, model), negatives: evaluateNegatives(set, model) },
    });
  }
  return { sets: out, duplicates: await duplicatesEvaluation(options) };
}
