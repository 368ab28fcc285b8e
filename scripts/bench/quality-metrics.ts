/**
 * Retrieval-quality arithmetic for section 5, on L2-normalized vectors (cosine = dot product):
 * recall@K both ways as CLIP_benchmark computes it, zero-shot accuracy with prompt ensembles, and
 * the agreement of two embeddings of the same inputs (parity, fp32 against int8).
 */
import { dot, l2normalize } from "@/lib/vector";

export const RECALL_KS = [1, 5, 10] as const;
export type RecallAtK = Record<`r${(typeof RECALL_KS)[number]}`, number>;

/**
 * The 0-based rank of the right answer: how many wrong answers score at least as high. Ties count
 * against it, so a model that maps many inputs to one vector cannot score by luck of order.
 */
function rankOf(scores: Float32Array, target: number, isRight: (i: number) => boolean): number {
  let ahead = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= target && !isRight(i)) ahead++;
  return ahead;
}

function recallFromRanks(ranks: number[]): RecallAtK {
  const at = (k: number) => Math.round((ranks.filter((r) => r < k).length / ranks.length) * 1000) / 10;
  return { r1: at(1), r5: at(5), r10: at(10) };
}

/**
 * Text→image: for each caption, is its photo among the K best photos? Image→text: for each photo,
 * is any of its captions among the K best captions? Figures in percent.
 */
export function retrievalRecall(images: Float32Array[], captions: Float32Array[], imageOfCaption: number[]) {
  const scores = captions.map((c) => Float32Array.from(images, (im) => dot(c, im)));
  const textToImage = scores.map((row, c) => rankOf(row, row[imageOfCaption[c]!]!, (i) => i === imageOfCaption[c]));
  const imageToText = images.map((_, i) => {
    const column = Float32Array.from(scores, (row) => row[i]!);
    const best = Math.max(...imageOfCaption.flatMap((owner, c) => (owner === i ? [column[c]!] : [])));
    return rankOf(column, best, (c) => imageOfCaption[c] === i);
  });
  return { textToImage: recallFromRanks(textToImage), imageToText: recallFromRanks(imageToText) };
}

/** One vector per class: the normalized mean of its prompts' normalized vectors (CLIP's prompt ensembling). */
export function classVectors(promptVectors: Float32Array[], classes: number): Float32Array[] {
  const perClass = promptVectors.length / classes;
  return Array.from({ length: classes }, (_, c) => {
    const sum = new Float32Array(promptVectors[0]!.length);
    for (const v of promptVectors.slice(c * perClass, (c + 1) * perClass)) v.forEach((x, d) => (sum[d]! += x));
    return l2normalize(sum);
  });
}

/** Share of images whose nearest class vector is their label, in percent. */
export function zeroShotAccuracy(images: Float32Array[], labels: number[], classVecs: Float32Array[]): number {
  let correct = 0;
  images.forEach((im, i) => {
    let best = 0;
    for (let c = 1; c < classVecs.length; c++) if (dot(im, classVecs[c]!) > dot(im, classVecs[best]!)) best = c;
    if (best === labels[i]) correct++;
  });
  return Math.round((correct / images.length) * 1000) / 10;
}

/**
 * Cosine between two embeddings of each input (ours and a reference's, or fp32 and int8), beside the
 * mean cosine between different inputs: agreement means something only well above that baseline.
 */
export function agreement(ours: Float32Array[], theirs: Float32Array[]) {
  const same = ours.map((v, i) => dot(v, theirs[i]!));
  let different = 0;
  let pairs = 0;
  for (let i = 0; i < ours.length; i++) {
    for (let j = i + 1; j < ours.length; j++, pairs++) different += dot(ours[i]!, ours[j]!);
  }
  const r = (n: number) => Math.round(n * 10000) / 10000;
  return {
    mean: r(same.reduce((a, b) => a + b, 0) / same.length),
    min: r(Math.min(...same)),
    differentInputs: r(pairs ? different / pairs : Number.NaN),
    count: same.length,
  };
}
