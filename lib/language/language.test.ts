/** Query routing on real captions: English ones stay with CLIP, Chinese ones leave it, mixed and short queries by rule. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { DATASETS } from "@/lib/testing";
import { routeQuery } from "./index";

const flickr = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(DATASETS, "flickr8k-1k", file), "utf8")) as { captions: string[] }[]).flatMap((r) => r.captions);

describe("routeQuery", () => {
  it("sends the issue's examples where they belong", () => {
    assert.deepEqual(routeQuery("雪山"), { tower: "multilingual", language: "zh" });
    assert.deepEqual(routeQuery("iPhone 海边"), { tower: "multilingual", language: "zh" });
    assert.equal(routeQuery("snow mountain").tower, "clip");
    assert.equal(routeQuery("beach at sunset").tower, "clip", "eld calls it Danish; the margin rule keeps it with CLIP");
    assert.deepEqual(routeQuery("海辺で遊ぶ犬"), { tower: "multilingual", language: "ja" });
    assert.deepEqual(routeQuery("Ein schneebedeckter Berg am See"), { tower: "multilingual", language: "de" });
    assert.equal(routeQuery("un chien sur la plage").tower, "multilingual");
    assert.equal(routeQuery("눈 덮인 산").tower, "multilingual");
    assert.deepEqual(routeQuery("🐶🏔️"), { tower: "clip", language: "und" });
    assert.equal(routeQuery("2024").tower, "clip");
  });

  it("obeys an override: a tower, or a stated language", () => {
    assert.deepEqual(routeQuery("雪山", { tower: "clip" }), { tower: "clip", language: "zh" });
    assert.equal(routeQuery("snow", { tower: "multilingual" }).tower, "multilingual");
    assert.deepEqual(routeQuery("Hund", { lang: "de" }), { tower: "multilingual", language: "de" });
    assert.deepEqual(routeQuery("Hund", { lang: "en-GB" }), { tower: "clip", language: "en-GB" });
  });

  it("keeps English captions, their first words and short queries with CLIP", () => {
    const english = flickr("captions.json").slice(0, 1000);
    const words = (n: number) => english.map((c) => c.split(" ").slice(0, n).join(" "));
    const queries = [...english, ...words(3), ...words(2), "a kitchen", "a red bus", "a cat", "sunset", "Strand"];
    const misrouted = queries.filter((q) => routeQuery(q).tower !== "clip");
    // Measured: 5 of 3,005 with the margin rule (15 with a margin of 0.10; "a kitchen" reads as German).
    assert.ok(misrouted.length / queries.length < 0.004, `${misrouted.length} misrouted, e.g. ${misrouted.slice(0, 5).join(" | ")}`);
  });

  it("sends every Chinese caption to the multilingual encoder", () => {
    const chinese = flickr("captions-zh.json");
    assert.equal(chinese.filter((q) => routeQuery(q).tower !== "multilingual").length, 0);
    assert.ok(chinese.slice(0, 200).every((q) => routeQuery(q).language === "zh"));
  });
});
