import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "@/lib/testing";
import { PROFILES, relevantCount, twoGroupSplit } from ".";

/** Gaussian scores around `mean`, sorted best first. */
function normalScores(random: () => number, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()));
}

const sorted = (scores: number[]) => [...scores].sort((a, b) => b - a);

describe("adaptive relevance cut-off", () => {
  it("finds a cluster of relevant text→image scores above the background", () => {
    const random = seededRandom(1);
    const scores = sorted([...normalScores(random, 12, 0.31, 0.008), ...normalScores(random, 188, 0.17, 0.02)]);
    assert.equal(relevantCount(scores, { kind: "text" }), 12);
  });

  it("keeps (almost) nothing when no photo stands out of the background", () => {
    const random = seededRandom(2);
    const scores = sorted(normalScores(random, 200, 0.17, 0.02));
    assert.ok(relevantCount(scores, { kind: "text" }) <= 3);
  });

  it("depends on the query, not a global threshold: the same shape at a lower level gives the same count", () => {
    const random = seededRandom(3);
    const high = sorted([...normalScores(random, 8, 0.3, 0.005), ...normalScores(random, 192, 0.18, 0.02)]);
    const low = high.map((s) => s - 0.08);
    assert.equal(relevantCount(high, { kind: "text" }), 8);
    assert.equal(relevantCount(low, { kind: "text" }), 8);
  });

  it("uses a wider margin for image queries, whose cosines spread further", () => {
    const random = seededRandom(4);
    const near = sorted(normalScores(random, 6, 0.86, 0.04));
    const scores = sorted([...near, ...normalScores(random, 194, 0.45, 0.05)]);
    assert.equal(relevantCount(scores, { kind: "image" }), 6);
    // The text profile's narrow margin would cut inside that spread.
    assert.ok(relevantCount(scores, { kind: "text" }) < 6);
  });

  it("cuts a short list at its cliff", () => {
    assert.equal(relevantCount([0.31, 0.305, 0.3, 0.25, 0.248, 0.246], { kind: "text" }), 3);
  });

  it("does not cut a smooth short list", () => {
    assert.equal(relevantCount([0.31, 0.3, 0.29, 0.28, 0.27], { kind: "text" }), 5);
  });

  it("keeps one hit when it stands alone, and nothing for an empty list", () => {
    assert.equal(relevantCount([0.3], { kind: "text" }), 1);
    assert.equal(relevantCount([], { kind: "text" }), 0);
  });

  it("applies an absolute floor only to a calibrated model", () => {
    const scores = [0.12, 0.118, 0.117];
    assert.equal(relevantCount(scores, { kind: "text", modelId: "Xenova/clip-vit-base-patch32" }), 0);
    assert.equal(relevantCount(scores, { kind: "text", modelId: "some/uncalibrated-model" }), 3);
  });

  it("keeps a large relevant set while it fills less than half of the window", () => {
    const random = seededRandom(5);
    const scores = sorted([...normalScores(random, 80, 0.3, 0.01), ...normalScores(random, 120, 0.17, 0.02)]);
    assert.ok(relevantCount(scores, { kind: "text" }) >= 75);
  });

  it("takes a relevant set that fills most of the window whole when it stands apart (two-group split)", () => {
    const random = seededRandom(6);
    const scores = sorted([...normalScores(random, 140, 0.3, 0.01), ...normalScores(random, 60, 0.17, 0.02)]);
    const count = relevantCount(scores, { kind: "text" });
    assert.ok(count >= 130 && count <= 140, `kept ${count}`);
  });

  it("does not split a window whose two ends only blur into each other", () => {
    const random = seededRandom(7);
    // A wide, unimodal spread: the best split of noise separates its halves by under 3 deviations.
    const scores = sorted(normalScores(random, 200, 0.2, 0.04));
    assert.ok(twoGroupSplit(scores).separation < 3.5);
    const withoutSplit = { ...PROFILES.text, minSeparation: Infinity };
    assert.equal(relevantCount(scores, { kind: "text" }), relevantCount(scores, { kind: "text", profile: withoutSplit }));
  });
});
