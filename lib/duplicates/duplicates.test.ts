/**
 * Duplicates on both stores, from synthetic vectors with known ground truth: copies (cosine 0.99,
 * hashes 2 bits apart), a burst (cosine 0.9, seconds apart), look-alikes that are neither (cosine
 * 0.96 with different hashes; cosine 0.9 a day apart), and unrelated photos.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Config } from "@/lib/config";
import type { AppContext } from "@/lib/context";
import { createStore } from "@/lib/store";
import type { NeighbourProgress, PhotoRecord, PhotoStore } from "@/lib/store/types";
import { dropIndex, esSkip, photoRecord, randomUnitVector, seededRandom, STORE_KINDS, testConfig, testContext } from "@/lib/testing";
import { l2normalize } from "@/lib/vector";
import {
  buildNeighbourGraph,
  candidateFloor,
  DEFAULT_DUPLICATE_OPTIONS,
  differenceHash,
  findDuplicates,
  groupDuplicates,
  hammingDistance,
  NeighbourGraphCache,
  type DuplicateGroup,
  type DuplicateOptions,
} from ".";

const random = seededRandom(11);

/** A unit vector at cosine `cosine` to `base`. */
function near(base: Float32Array, cosine: number): Float32Array {
  const noise = randomUnitVector(random, base.length);
  const along = noise.reduce((sum, v, i) => sum + v * base[i]!, 0);
  const orthogonal = l2normalize(noise.map((v, i) => v - along * base[i]!));
  const sine = Math.sqrt(1 - cosine * cosine);
  return l2normalize(base.map((v, i) => cosine * v + sine * orthogonal[i]!));
}

function record(id: string, vector: Float32Array, takenAt?: string): PhotoRecord {
  return photoRecord({ id: id.padEnd(32, "0"), name: `${id}.jpg`, vector, takenAt });
}

const base = randomUnitVector(random);
const burstBase = randomUnitVector(random);
const lookBase = randomUnitVector(random);
const records = [
  record("a1", base),
  record("a2", near(base, 0.99)),
  record("a3", near(base, 0.985)),
  record("b1", burstBase, "2024-05-01T10:00:00Z"),
  record("b2", near(burstBase, 0.9), "2024-05-01T10:00:04Z"),
  record("c1", lookBase, "2024-05-01T10:00:00Z"),
  record("c2", near(lookBase, 0.96), "2024-05-02T10:00:00Z"),
  ...Array.from({ length: 20 }, (_, i) => record(`u${i}`, randomUnitVector(random))),
  // The same bytes found at two more paths: one photo remembering all three.
  {
    ...record("d1", randomUnitVector(random)),
    copies: [
      { root: "/r", path: "old/d1.jpg" },
      { root: "/s", path: "d1 (copy).jpg" },
    ],
  },
];
// Copies share a hash (2 bits apart); c1 and c2 look alike but are different scenes.
const hashes: Record<string, bigint> = { a1: 0xf0f0n, a2: 0xf0f3n, a3: 0xf0f1n, a4: 0xf0f2n, c1: 0x0n, c2: 0xffff_ffffn };
const hashOf = async (photo: { id: string }) => hashes[photo.id.replace(/0+$/, "")] ?? BigInt(photo.id.length);

for (const kind of STORE_KINDS) {
  describe(`duplicates on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;
    before(async () => {
      ctx = testContext(kind);
      await ctx.store.ensureIndex(ctx.embedders.space);
      await ctx.store.upsert(records);
      await ctx.store.refresh();
    });
    after(async () => {
      await dropIndex(ctx.cfg);
      await ctx.store.close();
    });

    it("groups copies as near-identical and a burst as a burst, and nothing else", async () => {
      const groups = await findDuplicates(ctx.store, hashOf);
      const named = groups.map((g) => ({ class: g.class, ids: g.photos.map((p) => p.name).sort() }));
      assert.deepEqual(named, [
        { class: "identical", ids: ["d1.jpg"] },
        { class: "near-identical", ids: ["a1.jpg", "a2.jpg", "a3.jpg"] },
        { class: "burst", ids: ["b1.jpg", "b2.jpg"] },
      ]);
    });

    it("keeps every path of identical bytes through the store", async () => {
      const stored = await ctx.store.get("d1".padEnd(32, "0"));
      assert.deepEqual(stored?.copies, [
        { root: "/r", path: "old/d1.jpg" },
        { root: "/s", path: "d1 (copy).jpg" },
      ]);
      assert.equal((await ctx.store.get("a1".padEnd(32, "0")))?.copies, undefined);
    });

    it("follows the thresholds (the preview)", async () => {
      const strict = await findDuplicates(ctx.store, hashOf, { nearCosine: 0.995, burstCosine: 0.95 });
      assert.deepEqual(
        strict.map((g) => g.class),
        ["identical"],
      );
      const loose = await findDuplicates(ctx.store, hashOf, { burstSeconds: 2 * 86_400 });
      assert.ok(loose.some((g) => g.class === "burst" && g.photos.some((p) => p.name === "c1.jpg")));
    });
  });
}

const named = (groups: DuplicateGroup[]) => groups.map((g) => ({ class: g.class, ids: g.photos.map((p) => p.name).sort() }));

for (const kind of STORE_KINDS) {
  describe(`the review's neighbour graph, cached on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let cfg: Config;
    let store: PhotoStore;
    let other: PhotoStore;
    let builds = 0;
    const countingCache = () =>
      new NeighbourGraphCache(hashOf, (s, k, floor) => {
        builds++;
        return buildNeighbourGraph(s, k, floor);
      });

    before(async () => {
      cfg = testConfig(kind);
      // A second store on the same library: another process (the ingest CLI) writing it.
      [store, other] = [createStore(cfg), createStore(cfg)];
      await store.ensureIndex({ modelId: "test/duplicates-cache", dims: 512 });
      await store.upsert(records);
      await store.refresh();
    });
    after(async () => {
      await dropIndex(cfg);
      await store.close();
      await other.close();
    });

    it("builds once for concurrent requests and every threshold preview, with the groups a fresh review finds", async () => {
      const cache = countingCache();
      builds = 0;
      const [first, second] = await Promise.all([cache.graph(store, 8, 0.85), cache.graph(store, 8, 0.85)]);
      assert.equal(builds, 1, "concurrent requests share one build");
      assert.equal(first.graph, second.graph);
      const previews: Partial<DuplicateOptions>[] = [
        {},
        { nearCosine: 0.995, burstCosine: 0.95 },
        { burstSeconds: 2 * 86_400 },
        { burstCosine: 0.7 },
      ];
      for (const preview of previews) {
        const options = { ...DEFAULT_DUPLICATE_OPTIONS, ...preview };
        const cached = await cache.graph(store, options.neighbours, candidateFloor(options));
        assert.deepEqual(
          named(await groupDuplicates(cached.graph, cached.hashOf, options)),
          named(await findDuplicates(store, hashOf, options)),
          JSON.stringify(preview),
        );
      }
      assert.equal(builds, 1, "a threshold preview regroups the same graph");
    });

    it("builds again after an upsert or a delete, by this process or another, and not without one", async () => {
      const cache = countingCache();
      builds = 0;
      const review = async () => {
        const { graph, hashOf: cachedHash } = await cache.graph(store, 8, 0.85);
        return named(await groupDuplicates(graph, cachedHash)).find((g) => g.ids.includes("a1.jpg"))?.ids;
      };
      assert.deepEqual(await review(), ["a1.jpg", "a2.jpg", "a3.jpg"]);
      const fourth = record("a4", near(base, 0.99));
      await store.upsert([fourth]);
      await store.refresh();
      assert.deepEqual(await review(), ["a1.jpg", "a2.jpg", "a3.jpg", "a4.jpg"], "a new copy is grouped");
      await other.delete([fourth.id]);
      await store.refresh();
      assert.deepEqual(await review(), ["a1.jpg", "a2.jpg", "a3.jpg"], "another process removed it");
      await other.upsert([fourth]);
      await store.refresh();
      assert.deepEqual(await review(), ["a1.jpg", "a2.jpg", "a3.jpg", "a4.jpg"], "another process added it again");
      await store.delete([fourth.id]);
      await store.refresh();
      assert.deepEqual(await review(), ["a1.jpg", "a2.jpg", "a3.jpg"]);
      assert.equal(builds, 5);
      await review();
      assert.equal(builds, 5, "no write, no build");
    });

    it("builds again for a floor below the graph's, and does not keep a failed build", async () => {
      const cache = countingCache();
      builds = 0;
      await cache.graph(store, 8, 0.6);
      await cache.graph(store, 8, 0.9);
      assert.equal(builds, 1, "a graph down to 0.6 covers 0.9");
      await cache.graph(store, 8, 0.5);
      assert.equal(builds, 2);
      await cache.graph(store, 4, 0.9);
      assert.equal(builds, 3, "another number of neighbours is another graph");

      let failures = 1;
      const flaky = new NeighbourGraphCache(hashOf, async (s, k, floor) => {
        if (failures-- > 0) throw new Error("the store went away");
        return buildNeighbourGraph(s, k, floor);
      });
      await assert.rejects(flaky.graph(store, 8, 0.85), /the store went away/);
      assert.ok((await flaky.graph(store, 8, 0.85)).graph.pairs.length > 0);
    });

    it("answers a request that will not wait with the build's progress, and the graph once built", async () => {
      // A build held at a gate after its first progress report: as a long build looks to a request.
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const heard: NeighbourProgress[] = [];
      const slow = new NeighbourGraphCache(hashOf, async (s, k, floor, onProgress) => {
        onProgress?.({ phase: "comparing", done: 2, total: records.length });
        await gate;
        return buildNeighbourGraph(s, k, floor, onProgress);
      });
      const waiting = slow.graph(store, 8, 0.85, (p) => heard.push(p));
      const early = await slow.graphWithin(store, 8, 0.85, 20);
      assert.deepEqual(early, { building: { phase: "comparing", done: 2, total: records.length } });
      release();
      const built = await slow.graphWithin(store, 8, 0.85, 60_000);
      assert.ok("graph" in built && built.graph.pairs.length > 0);
      assert.equal((await waiting).graph, built.graph, "one build for both requests");
      const photos = await store.count(); // identical bytes at two paths are one photo
      assert.deepEqual(heard.at(-1), { phase: "comparing", done: photos, total: photos });
      const again = await slow.graphWithin(store, 8, 0.85, 0);
      assert.ok("graph" in again, "a built graph is answered at once");
    });
  });
}

describe("perceptual hash", () => {
  it("barely changes for a resized re-encoding and differs for another image", async () => {
    const sharp = (await import("sharp")).default;
    const gradient = Buffer.alloc(64 * 48 * 3);
    for (let i = 0; i < gradient.length; i++) gradient[i] = ((i / 3) % 64) * 4;
    const png = await sharp(gradient, { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toBuffer();
    const smaller = await sharp(png).resize(40).jpeg({ quality: 60 }).toBuffer();
    const flipped = await sharp(png).flop().png().toBuffer();
    const [h1, h2, h3] = await Promise.all([differenceHash(png), differenceHash(smaller), differenceHash(flipped)]);
    assert.ok(hammingDistance(h1, h2) <= 6);
    assert.ok(hammingDistance(h1, h3) > 20);
  });
});
