import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Photo } from "@/lib/store/types";
import { photoView } from "./view";

describe("photo view", () => {
  it("turns any stored value into text, so the photo view can always render it", () => {
    const stored = {
      id: "0".repeat(32),
      root: "/library",
      path: "a.jpg",
      folder: "library",
      name: "a.jpg",
      width: 1,
      height: 1,
      bytes: 1,
      mime: "image/jpeg",
      caption: { text: "x" },
      tags: [{ a: 1 }, "dog", "dog", 7, null],
      extra: { note: ["a"], empty: null, plain: "ok" },
      indexedAt: "2026-01-01T00:00:00Z",
    } as unknown as Photo;
    const view = photoView(stored);
    assert.equal(view.caption, '{"text":"x"}');
    assert.deepEqual(view.tags, ['{"a":1}', "dog", "7"]);
    assert.deepEqual(view.extra, { note: '["a"]', plain: "ok" });
    assert.equal("root" in view, false);
  });
});
