import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hit } from "@/lib/store/types";
import { byDate, demote, pageOf } from "./ranking";

function hit(id: string, score: number, takenAt?: string): Hit {
  return {
    score,
    photo: {
      id,
      root: "/",
      path: id,
      folder: "f",
      name: id,
      width: 1,
      height: 1,
      bytes: 1,
      mime: "image/jpeg",
      tags: [],
      extra: {},
      indexedAt: "",
      takenAt,
    },
  };
}

const ids = (hits: Hit[]) => hits.map((h) => h.photo.id);
// Six hits best first; a, b, c relevant. Dates: c newest, a oldest; e has none.
const ranked = [
  hit("a", 0.9, "2020-01-01T00:00:00Z"),
  hit("b", 0.8, "2021-01-01T00:00:00Z"),
  hit("c", 0.7, "2022-01-01T00:00:00Z"),
  hit("d", 0.4, "2019-01-01T00:00:00Z"),
  hit("e", 0.3),
  hit("f", 0.2, "2023-01-01T00:00:00Z"),
];

describe("ranking a window into pages", () => {
  it("stops at the relevant hits with the cut-off on, and says how many less relevant remain", () => {
    const page = pageOf(ranked, 3, 200, false, { offset: 0, k: 10, cutoff: true, order: "relevance" });
    assert.deepEqual(ids(page.hits), ["a", "b", "c"]);
    assert.equal(page.hasMore, false);
    assert.equal(page.lessRelevant, 3);
  });

  it("sorts by date within the relevant set and then within the rest, never mixing them", () => {
    const page = pageOf(ranked, 3, 200, false, { offset: 0, k: 10, cutoff: false, order: "newest" });
    assert.deepEqual(ids(page.hits), ["c", "b", "a", "f", "d", "e"]);
    const oldest = pageOf(ranked, 3, 200, false, { offset: 0, k: 10, cutoff: true, order: "oldest" });
    assert.deepEqual(ids(oldest.hits), ["a", "b", "c"]);
  });

  it("pages through the same order without overlaps", () => {
    const pages = [0, 2, 4].flatMap((offset) => ids(pageOf(ranked, 3, 200, false, { offset, k: 2, cutoff: false, order: "newest" }).hits));
    assert.deepEqual(pages, ["c", "b", "a", "f", "d", "e"]);
    assert.equal(pageOf(ranked, 3, 200, false, { offset: 0, k: 2, cutoff: true, order: "newest" }).hasMore, true);
  });

  it("keeps scrolling past the window by relevance when the store has more", () => {
    const page = pageOf(ranked, 3, 4, true, { offset: 4, k: 2, cutoff: false, order: "relevance" });
    assert.deepEqual(ids(page.hits), ["e", "f"]);
    assert.equal(page.hasMore, true);
    // Date order ends with the window.
    assert.deepEqual(ids(pageOf(ranked, 3, 4, true, { offset: 0, k: 10, cutoff: false, order: "oldest" }).hits), ["a", "b", "c", "d"]);
  });

  it("demotes matched hits, keeping each group's order", () => {
    const { hits, kept } = demote(ranked, new Set(["a", "d"]));
    assert.deepEqual(ids(hits), ["b", "c", "e", "f", "a", "d"]);
    assert.equal(kept, 4);
  });

  it("orders undated photos last and ties by score", () => {
    const tied = [hit("x", 0.1, "2020-01-01T00:00:00Z"), hit("y", 0.5, "2020-01-01T00:00:00Z"), hit("z", 0.9)];
    assert.deepEqual(ids(byDate(tied, "newest")), ["y", "x", "z"]);
  });
});
