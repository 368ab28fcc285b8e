import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPhotoId } from "./photo-id";

describe("photo ids", () => {
  it("accepts the app's hashes and the ids of indices made elsewhere", () => {
    for (const id of [
      "0123456789abcdef0123456789abcdef",
      "-LpZcFOTOWk",
      "_bTjUpl7Q_4",
      "IMG_4032",
      "DSC 0001 (2)",
      "雪山-1",
      "HMD_Nokia_8.3_5G",
    ]) {
      assert.ok(isPhotoId(id), id);
    }
  });

  it("refuses anything that could be read as a path, and unbounded or empty ids", () => {
    for (const id of [
      "",
      ".",
      "..",
      "../etc/passwd",
      "a/b",
      "a\\b",
      ".hidden",
      "a\0b",
      "line\nbreak",
      " padded",
      "x".repeat(129),
      "%2e%2e",
    ]) {
      assert.ok(!isPhotoId(id), JSON.stringify(id));
    }
    assert.ok(isPhotoId("x".repeat(128)));
  });
});
