/** Vectors to and from the bytes a store keeps. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromBuffer, toBuffer } from "./vector";

describe("fromBuffer", () => {
  const vector = Float32Array.from([0.25, -0.5, 1, 0.125]);

  it("reads the floats of a buffer that owns its memory, as SQLite's blobs do", () => {
    const own = Buffer.alloc(16);
    toBuffer(vector).copy(own);
    assert.deepEqual(fromBuffer(own), vector);
  });

  it("copies a slice of a shared or larger buffer, so later writes there do not change it", () => {
    const pooled = Buffer.from(toBuffer(vector)); // small: a slice of Node's shared pool
    const read = fromBuffer(pooled);
    pooled.fill(0);
    assert.deepEqual(read, vector);
    const unaligned = Buffer.alloc(17).subarray(1);
    toBuffer(vector).copy(unaligned);
    assert.deepEqual(fromBuffer(unaligned), vector);
  });
});
