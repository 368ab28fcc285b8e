import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/errors";
import { applyMetadata, changesText, METADATA_LIMITS, parseUploadMetadata } from "./metadata-schema";

const refused = (json: unknown, message: RegExp) =>
  assert.throws(
    () => parseUploadMetadata(json),
    (error: AppError) =>
      error instanceof AppError && error.code === "invalid_metadata" && error.status === 400 && message.test(error.message),
  );

describe("upload metadata", () => {
  it("accepts a caption, tags and extra fields, and no metadata at all", () => {
    assert.deepEqual(parseUploadMetadata({ caption: "雪山", tags: [" snow "], extra: { who: "Li" } }), {
      caption: "雪山",
      tags: ["snow"],
      extra: { who: "Li" },
    });
    assert.deepEqual(parseUploadMetadata(undefined), {});
    assert.deepEqual(parseUploadMetadata(null), {});
    assert.deepEqual(parseUploadMetadata({}), {});
  });

  it("refuses wrong types, naming the field", () => {
    refused({ tags: [{ a: 1 }] }, /^metadata\.tags\.0: expected text, got an object$/);
    refused({ caption: 5 }, /^metadata\.caption: expected text, got number$/);
    refused({ tags: "a,b" }, /^metadata\.tags: expected a list of text/);
    refused({ extra: { a: { b: 1 } } }, /^metadata\.extra\.a: expected text, got an object$/);
    refused("caption", /^metadata: expected a JSON object, got text$/);
    refused([1], /^metadata: expected a JSON object, got a list$/);
    refused({ captoin: "typo" }, /^metadata\.captoin: unknown field/);
  });

  it("bounds every field, naming the field and the limit", () => {
    refused({ caption: "x".repeat(20_000_000) }, /^metadata\.caption: at most 5000 characters \(got 20000000\)$/);
    refused({ tags: Array(METADATA_LIMITS.tags + 1).fill("a") }, /^metadata\.tags: at most 100 tags \(got 101\)$/);
    refused({ tags: ["t".repeat(101)] }, /^metadata\.tags\.0: at most 100 characters/);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, "v"]));
    refused({ extra: many }, /^metadata\.extra: at most 50 fields \(got 51\)$/);
    refused({ extra: { note: "n".repeat(2001) } }, /^metadata\.extra\.note: at most 2000 characters/);
  });

  it("merges a patch into stored text: given fields replace, missing ones stay, null clears", () => {
    const current = { caption: "old", tags: ["a"], extra: { who: "Li", where: "Xi'an" } };
    assert.deepEqual(applyMetadata(current, {}), current);
    assert.equal(changesText(current, {}), false);
    assert.deepEqual(applyMetadata(current, { tags: ["b"], extra: { where: null, when: "2020" } }), {
      caption: "old",
      tags: ["b"],
      extra: { who: "Li", when: "2020" },
    });
    assert.deepEqual(applyMetadata(current, { caption: null }), { tags: ["a"], extra: current.extra });
    assert.equal(changesText(current, { caption: "old" }), false);
    assert.equal(changesText(current, { caption: "new" }), true);
  });
});
