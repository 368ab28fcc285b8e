/** The labelled and captioned photo sets of section 5, read from ../shared/datasets. */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { COCO, DATASETS } from "@/lib/testing";

export interface Captioned {
  name: string;
  images: string[];
  captions: string[];
  /** For each caption, the index of its photo in `images`. */
  imageOfCaption: number[];
}

export interface Labelled {
  images: string[];
  labels: number[];
  classes: string[];
}

const CIFAR = path.join(DATASETS, "cifar10-test");

/** CIFAR-10 test photos, `perClass` of each class (labels.csv lists them class by class). */
export function cifar10(perClass: number): Labelled {
  const classes: string[] = JSON.parse(fs.readFileSync(path.join(CIFAR, "classes.json"), "utf8"));
  const rows: { path: string; label_index: string }[] = parse(fs.readFileSync(path.join(CIFAR, "labels.csv")), { columns: true });
  const taken = new Map<number, number>();
  const picked = rows.filter((r) => {
    const label = Number(r.label_index);
    const count = taken.get(label) ?? 0;
    taken.set(label, count + 1);
    return count < perClass;
  });
  return { images: picked.map((r) => path.join(CIFAR, r.path)), labels: picked.map((r) => Number(r.label_index)), classes };
}

/**
 * A captions.json set (Flickr8k-1k, COCO-mini): the first `limit` photos with all their captions;
 * `captionsFile` picks another language's captions of the same photos (Flickr8k-1k's captions-zh.json).
 */
export function captioned(name: "flickr8k-1k" | "coco-mini", limit?: number, captionsFile = "captions.json"): Captioned {
  const folder = name === "coco-mini" ? COCO : path.join(DATASETS, name);
  const entries: { image: string; captions: string[] }[] = JSON.parse(fs.readFileSync(path.join(folder, captionsFile), "utf8"));
  const used = entries.slice(0, limit);
  return {
    name,
    images: used.map((e) => path.join(folder, e.image)),
    captions: used.flatMap((e) => e.captions),
    imageOfCaption: used.flatMap((e, i) => e.captions.map(() => i)),
  };
}

/** CLIP's 18 CIFAR-10 prompt templates (as in open_clip's CLIP_benchmark); the first is the single-prompt protocol. */
export const CIFAR_TEMPLATES = [
  "a photo of a {}.",
  "a blurry photo of a {}.",
  "a black and white photo of a {}.",
  "a low contrast photo of a {}.",
  "a high contrast photo of a {}.",
  "a bad photo of a {}.",
  "a good photo of a {}.",
  "a photo of a small {}.",
  "a photo of a big {}.",
  "a photo of the {}.",
  "a blurry photo of the {}.",
  "a black and white photo of the {}.",
  "a low contrast photo of the {}.",
  "a high contrast photo of the {}.",
  "a bad photo of the {}.",
  "a good photo of the {}.",
  "a photo of the small {}.",
  "a photo of the big {}.",
];
