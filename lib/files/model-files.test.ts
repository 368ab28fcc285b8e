import assert from "node:assert/strict";
import { test } from "node:test";
import { byteRange } from "./model-files";

test("byteRange reads the one range transformers.js and browsers ask for", () => {
  assert.deepEqual(byteRange("bytes=0-0", 100), [0, 0]);
  assert.deepEqual(byteRange("bytes=10-", 100), [10, 99]);
  assert.deepEqual(byteRange("bytes=-10", 100), [90, 99]);
  assert.deepEqual(byteRange("bytes=90-500", 100), [90, 99]);
  assert.equal(byteRange("bytes=100-", 100), "unsatisfiable");
  assert.equal(byteRange("bytes=0-0", 0), "unsatisfiable");
  // No header, several ranges or another unit: the whole file.
  assert.equal(byteRange(null, 100), undefined);
  assert.equal(byteRange("bytes=0-1,5-6", 100), undefined);
  assert.equal(byteRange("items=0-1", 100), undefined);
});
