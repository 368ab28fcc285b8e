import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { l2normalize } from "@/lib/vector";
import { agreement, classVectors, retrievalRecall, zeroShotAccuracy } from "./quality-metrics";

const v = (...xs: number[]) => l2normalize(xs);

describe("retrieval recall", () => {
  // Three photos along the axes; captions 0-1 belong to photo 0, 2 to photo 1, 3 to photo 2.
  const images = [v(1, 0, 0), v(0, 1, 0), v(0, 0, 1)];
  const owners = [0, 0, 1, 2];

  it("is 100% at every K when each caption points at its own photo", () => {
    const captions = [v(1, 0.1, 0), v(1, 0, 0.1), v(0, 1, 0), v(0, 0, 1)];
    const recall = retrievalRecall(images, captions, owners);
    assert.deepEqual(recall.textToImage, { r1: 100, r5: 100, r10: 100 });
    assert.deepEqual(recall.imageToText, { r1: 100, r5: 100, r10: 100 });
  });

  it("counts a caption whose photo ranks second as a miss at 1 and a hit at 5", () => {
    // Caption 3 (photo 2) sits nearer photo 1: one of four captions misses at K = 1.
    const captions = [v(1, 0, 0), v(1, 0, 0), v(0, 1, 0), v(0, 1, 0.5)];
    const recall = retrievalRecall(images, captions, owners);
    assert.deepEqual(recall.textToImage, { r1: 75, r5: 100, r10: 100 });
    // Photo 2 still finds caption 3 first (no other caption leans its way): image→text stays whole.
    assert.deepEqual(recall.imageToText, { r1: 100, r5: 100, r10: 100 });
  });
});

describe("image→text recall", () => {
  it("misses at K = 1 when another photo's caption is nearer than all of the photo's own", () => {
    const images = [v(1, 0), v(0.8, 0.6)];
    const captions = [v(1, 0), v(0, 1)]; // photo 1's caption points away; photo 0's is nearer to it
    assert.deepEqual(retrievalRecall(images, captions, [0, 1]).imageToText, { r1: 50, r5: 100, r10: 100 });
  });
});

describe("ties", () => {
  it("count against the right answer", () => {
    // Every caption embeds to the same vector: no photo is found by merit.
    const images = [v(1, 0), v(0, 1)];
    const same = [v(1, 1), v(1, 1)];
    const recall = retrievalRecall(images, same, [0, 1]);
    assert.equal(recall.textToImage.r1, 0);
    assert.equal(recall.imageToText.r1, 0);
  });
});

describe("zero-shot accuracy", () => {
  it("averages the prompts of each class and picks the nearest class", () => {
    // Two classes, two prompts each; class 1's prompts average to the y axis.
    const prompts = [v(1, 0.2), v(1, -0.2), v(0.3, 1), v(-0.3, 1)];
    const classes = classVectors(prompts, 2);
    assert.ok(Math.abs(classes[1]![0]!) < 1e-6, "the ensemble cancels the x components");
    assert.equal(zeroShotAccuracy([v(1, 0.1), v(0.1, 1), v(1, 0)], [0, 1, 1], classes), 66.7);
  });
});

describe("agreement", () => {
  it("reports the cosine of each pair beside the cosine between different inputs", () => {
    const ours = [v(1, 0), v(0, 1)];
    const theirs = [v(1, 0.1), v(0, 1)];
    const a = agreement(ours, theirs);
    assert.equal(a.min, Number(v(1, 0.1)[0]!.toFixed(4)));
    assert.equal(a.differentInputs, 0);
    assert.ok(a.mean > a.min && a.mean < 1);
  });
});
