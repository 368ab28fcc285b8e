import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomUnitVector, seededRandom } from "@/lib/testing";
import type { NeighbourProgress } from "@/lib/store/types";
import { dot } from "@/lib/vector";
import { matrixNeighbours } from "./neighbours";
import { VectorMatrix } from "./vector-matrix";

const DIMS = 64;

/** `pairs` planted near-copies (p<i> and p<i>-copy) among random unit vectors, `size` in all. */
function library(size: number, pairs: number) {
  const random = seededRandom(7);
  const matrix = new VectorMatrix(DIMS);
  const vectors = new Map<string, Float32Array>();
  const add = (id: string, v: Float32Array) => {
    vectors.set(id, v);
    matrix.upsert(id, v, { folder: "f" });
  };
  for (let i = 0; vectors.size < size; i++) {
    const v = randomUnitVector(random, DIMS);
    add(`p${i}`, v);
    if (i < pairs) {
      const noise = randomUnitVector(random, DIMS);
      const copy = v.map((x, d) => x + 0.05 * noise[d]!);
      const norm = Math.hypot(...copy);
      add(
        `p${i}-copy`,
        copy.map((x) => x / norm),
      );
    }
  }
  const byId = (ids: readonly string[]) => new Map(ids.flatMap((id) => (vectors.has(id) ? [[id, vectors.get(id)!] as const] : [])));
  return { matrix, vectors, byId };
}

async function listAll(lib: ReturnType<typeof library>, k: number, onProgress?: (progress: NeighbourProgress) => void) {
  const listed = new Map<string, { id: string; score: number }[]>();
  for await (const chunk of matrixNeighbours(lib.matrix, k, lib.byId, onProgress)) for (const { id, hits } of chunk) listed.set(id, hits);
  return listed;
}

describe("embedded neighbour pass", () => {
  it("is exact on a small library: each photo's k nearest others by fp32 score", async () => {
    const lib = library(60, 5);
    const listed = await listAll(lib, 3);
    assert.equal(listed.size, 60);
    for (const [id, v] of lib.vectors) {
      const exact = [...lib.vectors]
        .filter(([other]) => other !== id)
        .map(([other, w]) => ({ id: other, score: dot(v, w) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 3);
      assert.deepEqual(
        listed.get(id)!.map((h) => h.id),
        exact.map((e) => e.id),
        id,
      );
    }
  });

  it("on a library past the exact size, finds planted near-copies through the graph, with exact scores", async () => {
    const lib = library(2_400, 200);
    const progress: NeighbourProgress[] = [];
    const listed = await listAll(lib, 3, (p) => progress.push(p));
    assert.equal(listed.size, 2_400);
    // The graph is built first (indexing), then photos are listed (comparing), each counting up to every photo.
    const phases = [...new Set(progress.map((p) => p.phase))];
    assert.deepEqual(phases, ["indexing", "comparing"]);
    for (const phase of phases) {
      const done = progress.filter((p) => p.phase === phase).map((p) => p.done);
      assert.ok(
        done.every((d, i) => i === 0 || d >= done[i - 1]!),
        `${phase} counts up`,
      );
    }
    assert.ok(progress.every((p) => p.total === 2_400 && p.done <= p.total));
    assert.deepEqual(progress.at(-1), { phase: "comparing", done: 2_400, total: 2_400 });
    let found = 0;
    for (const [id, hits] of listed) {
      assert.ok(!hits.some((h) => h.id === id), `${id} lists itself`);
      for (const h of hits) assert.ok(Math.abs(h.score - dot(lib.vectors.get(id)!, lib.vectors.get(h.id)!)) < 1e-6);
      for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
      if (id.endsWith("-copy") && hits[0]?.id === id.slice(0, -"-copy".length)) found++;
    }
    // A near-copy sits at cosine ~0.999 among random vectors near 0: a working graph finds them all;
    // the bound only catches a pass that has stopped finding them.
    assert.ok(found >= 150, `${found} of 200 planted copies found`);
  });
});
