import assert from "node:assert/strict";
import test from "node:test";
import { calibratedCpuMultiplier } from "./cpu-calibration";

test("the calibrated CPU slowdown follows Lighthouse's calculator: 4× on a ~1533 host, about 1.2-1.4× on this machine's 258-407", () => {
  assert.equal(calibratedCpuMultiplier(150), 1);
  assert.equal(calibratedCpuMultiplier(800), 2);
  assert.equal(calibratedCpuMultiplier(1300), 3);
  assert.equal(calibratedCpuMultiplier(1533), 4);
  assert.equal(calibratedCpuMultiplier(2000), 6);
  assert.equal(calibratedCpuMultiplier(258), 1.2);
  assert.equal(calibratedCpuMultiplier(407), 1.4);
  assert.equal(calibratedCpuMultiplier(1050), 2.5);
});

test("a host below the calculator's range has no calibrated slowdown", () => {
  assert.equal(calibratedCpuMultiplier(120), undefined);
  assert.equal(calibratedCpuMultiplier(Number.NaN), undefined);
});
