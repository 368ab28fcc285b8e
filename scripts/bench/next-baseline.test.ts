import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { commonRoot } from "./next-baseline";

test("the baseline app's Turbopack root holds both its folder and the project's node_modules", () => {
  assert.equal(commonRoot("/tmp/bench-next-baseline-x", "/work/main/node_modules"), path.sep);
  assert.equal(commonRoot("/work/ci/run/.cache/b", "/work/ci/run/node_modules"), "/work/ci/run");
  assert.equal(commonRoot("/work/a", "/work/ab/node_modules"), "/work");
  assert.equal(commonRoot("/work/a", "/work/a"), "/work/a");
});
