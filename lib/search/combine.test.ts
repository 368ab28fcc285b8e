import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dot } from "@/lib/vector";
import { combine } from "./service";

const unit = (...values: number[]) => Float32Array.from(values);
const term = (vector: Float32Array, weight = 1) => ({ vector, weight, kind: "text" as const, model: "m" });

describe("combining query terms", () => {
  it("adds weighted positives and subtracts negatives, normalized", () => {
    const v = combine([term(unit(1, 0, 0), 2), term(unit(0, 1, 0))], [term(unit(0, 0, 1))]);
    assert.ok(Math.abs(dot(v, v) - 1) < 1e-6);
    assert.ok(Math.abs(v[0]! - 2 / Math.sqrt(6)) < 1e-6);
    assert.ok(v[2]! < 0);
  });

  it("searches the positives alone when the negatives cancel them", () => {
    const v = combine([term(unit(1, 0, 0))], [term(unit(0.999, 0.001, 0))]);
    assert.deepEqual(Array.from(v), [1, 0, 0]);
  });
});
