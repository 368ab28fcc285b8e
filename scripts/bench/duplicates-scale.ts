/**
 * `npm run bench -- --only duplicates`: a full duplicates review (lib/duplicates' findDuplicates, as
 * /api/duplicates and `npm run duplicates` run it, default thresholds) of synthetic libraries (10k and
 * 100k photos by default, `--sizes`) on the embedded store and on Elasticsearch. Planted groups make
 * the answer checkable: every 50th photo starts a group of 2-4, alternately near-identical copies
 * (cosine 0.97-0.99, perceptual hashes a few bits apart) and bursts (cosine 0.88-0.93, 5 s apart,
 * different hashes); recall and precision of the planted groups are reported.
 *
 * Baseline from the same run: the store's plain kNN search (k = 8, as the review asks), timed on a
 * sample of photos and multiplied by n: the cost of one search per photo, one after another. On the
 * embedded store that is the review before its HNSW pass (each search an exact scan: n² in total);
 * on Elasticsearch it is the review's own work done serially, and beside it the pass as it was before
 * _msearch batches (filtered searches, 4 in flight), sampled. The 10k → 100k ratio shows the growth.
 * After the full review, a threshold preview is timed from the cached neighbour graph.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "@/lib/config";
import {
  candidateFloor,
  DEFAULT_DUPLICATE_OPTIONS,
  groupDuplicates,
  NeighbourGraphCache,
  type DuplicateGroup,
  type DuplicateOptions,
} from "@/lib/duplicates";
import { EmbeddedStore } from "@/lib/store/embedded";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import type { PhotoRecord, PhotoStore } from "@/lib/store/types";
import { randomUnitVector, seededRandom } from "@/lib/testing";
import { l2normalize } from "@/lib/vector";
import { round, stat } from "./measure";
import { DIMS, syntheticCollection, syntheticPhoto } from "./synthetic";

type Log = (message: string) => void;
/** Called with each measured row as soon as it is done (a long run keeps what it measured). */
type OnRow = (row: Record<string, unknown>) => void;
type PlantedClass = "near-identical" | "burst";

interface Library {
  records: PhotoRecord[];
  planted: { class: PlantedClass; ids: string[] }[];
  hashes: Map<string, bigint>;
}

const GROUP_EVERY = 50;
const SAMPLE_SEARCHES = 200;
const PREVIOUS_PASS_SAMPLE = 1_000;
/** The preview timed after the full review: looser thresholds, as a user drags the sliders down. */
const PREVIEW: DuplicateOptions = { ...DEFAULT_DUPLICATE_OPTIONS, nearCosine: 0.9, burstCosine: 0.8, burstSeconds: 60 };

/** A unit vector at cosine `cosine` to `base`. */
function near(base: Float32Array, cosine: number, random: () => number): Float32Array {
  const noise = randomUnitVector(random, base.length);
  const along = noise.reduce((sum, v, i) => sum + v * base[i]!, 0);
  const orthogonal = l2normalize(noise.map((v, i) => v - along * base[i]!));
  const sine = Math.sqrt(1 - cosine * cosine);
  return l2normalize(base.map((v, i) => cosine * v + sine * orthogonal[i]!));
}

/** A 64-bit value spread over all bits (splitmix64): unrelated photos' hashes lie ~32 bits apart. */
function spreadHash(i: number): bigint {
  let z = (BigInt(i) * 0x9e3779b97f4a7c15n) & 0xffff_ffff_ffff_ffffn;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffff_ffff_ffff_ffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffff_ffff_ffff_ffffn;
  return z ^ (z >> 31n);
}

/** The bench's synthetic photos (themes around 1,000 centres) with duplicate groups planted. */
export function plantedLibrary(n: number): Library {
  const random = seededRandom(n + 16);
  const records = syntheticCollection(n, 0).vectors.map((v, i) => syntheticPhoto(i, v));
  const hashes = new Map(records.map((r, i) => [r.id, spreadHash(i)]));
  const planted: Library["planted"] = [];
  for (let start = 0; start + 4 < n; start += GROUP_EVERY) {
    const size = 2 + (planted.length % 3);
    const kind: PlantedClass = planted.length % 2 === 0 ? "near-identical" : "burst";
    const base = records[start]!;
    const members = records.slice(start, start + size);
    members.slice(1).forEach((member, j) => {
      if (kind === "near-identical") {
        member.vector = near(base.vector, 0.97 + random() * 0.02, random);
        hashes.set(member.id, hashes.get(base.id)! ^ (1n << BigInt(j * 7 + 3))); // a few bits apart
      } else {
        member.vector = near(base.vector, 0.88 + random() * 0.05, random);
        member.takenAt = new Date(Date.parse(base.takenAt!) + (j + 1) * 5_000).toISOString();
      }
    });
    planted.push({ class: kind, ids: members.map((m) => m.id) });
  }
  return { records, planted, hashes };
}

/** Planted groups found exactly (same members, same class), and found groups that match one. */
function score(groups: DuplicateGroup[], planted: Library["planted"]) {
  const key = (cls: string, ids: string[]) => `${cls}:${[...ids].sort().join(",")}`;
  const found = new Set(
    groups
      .filter((g) => g.class !== "identical")
      .map((g) =>
        key(
          g.class,
          g.photos.map((p) => p.id),
        ),
      ),
  );
  const expected = new Set(planted.map((g) => key(g.class, g.ids)));
  const perClass = (cls: PlantedClass) => {
    const of = planted.filter((g) => g.class === cls);
    return round(of.filter((g) => found.has(key(g.class, g.ids))).length / Math.max(1, of.length), 3);
  };
  const matched = [...found].filter((k) => expected.has(k)).length;
  return {
    planted: planted.length,
    found: found.size,
    recall: round(matched / Math.max(1, planted.length), 3),
    recallNearIdentical: perClass("near-identical"),
    recallBurst: perClass("burst"),
    precision: round(matched / Math.max(1, found.size), 3),
  };
}

/** The store's plain kNN search on a sample of photos, as the review would ask it per photo. */
async function plainSearches(store: PhotoStore, library: Library) {
  const step = Math.max(1, Math.floor(library.records.length / SAMPLE_SEARCHES));
  const sample = library.records.filter((_, i) => i % step === 0).slice(0, SAMPLE_SEARCHES);
  const search = (r: PhotoRecord) => store.searchVector({ vector: r.vector, k: 8, offset: 0, filter: { excludeIds: [r.id] } });
  await search(sample[0]!); // warm-up
  const samples: number[] = [];
  for (const record of sample) {
    const start = performance.now();
    await search(record);
    samples.push(performance.now() - start);
  }
  const meanMs = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { ...stat(samples), meanMs: round(meanMs, 2), allPhotosS: round((meanMs * library.records.length) / 1000, 1) };
}

/**
 * Elasticsearch's neighbour pass as it was before its searches went out in _msearch batches: one
 * filtered kNN search per photo (itself left out by the filter), 4 in flight, timed on a sample and
 * multiplied by n (the library scan, the same in both, left out).
 */
async function previousEsPass(store: PhotoStore, library: Library) {
  const step = Math.max(1, Math.floor(library.records.length / PREVIOUS_PASS_SAMPLE));
  const sample = library.records.filter((_, i) => i % step === 0).slice(0, PREVIOUS_PASS_SAMPLE);
  const start = performance.now();
  for (let i = 0; i < sample.length; i += 4) {
    await Promise.all(
      sample.slice(i, i + 4).map((r) => store.searchVector({ vector: r.vector, k: 8, offset: 0, filter: { excludeIds: [r.id] } })),
    );
  }
  const perPhotoMs = (performance.now() - start) / sample.length;
  return { sample: sample.length, perPhotoMs: round(perPhotoMs, 2), allPhotosS: round((perPhotoMs * library.records.length) / 1000, 1) };
}

/**
 * The full review (the neighbour graph built, then grouped: as the first request after a change),
 * then a threshold preview from the cached graph (as every later request until the library changes).
 */
async function review(store: PhotoStore, library: Library, log: Log) {
  const hashOf = async (photo: { id: string }) => library.hashes.get(photo.id);
  const cache = new NeighbourGraphCache(hashOf);
  const timed = async (options: DuplicateOptions) => {
    const start = performance.now();
    const { graph, hashOf: cachedHash } = await cache.graph(store, options.neighbours, candidateFloor(options));
    const groups = await groupDuplicates(graph, cachedHash, options);
    return { groups, seconds: (performance.now() - start) / 1000 };
  };
  const rssBefore = process.memoryUsage().rss;
  const full = await timed(DEFAULT_DUPLICATE_OPTIONS);
  log(`  review: ${round(full.seconds, 1)} s, ${full.groups.length} groups`);
  const rssGrowthMb = round((process.memoryUsage().rss - rssBefore) / 1048576, 0);
  const preview = await timed(PREVIEW);
  log(`  threshold preview from the cached graph: ${round(preview.seconds, 3)} s, ${preview.groups.length} groups`);
  return {
    reviewS: round(full.seconds, 1),
    previewS: round(preview.seconds, 3),
    rssGrowthMb,
    ...score(full.groups, library.planted),
  };
}

async function fill(store: PhotoStore, library: Library, modelId: string) {
  await store.ensureIndex({ modelId, dims: DIMS });
  const start = performance.now();
  for (let i = 0; i < library.records.length; i += 1000) await store.upsert(library.records.slice(i, i + 1000));
  await store.refresh();
  return round((performance.now() - start) / 1000, 1);
}

export async function embeddedDuplicates(sizes: number[], modelId: string, log: Log, onRow: OnRow) {
  for (const n of sizes) {
    const library = plantedLibrary(n);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-duplicates-"));
    const store = new EmbeddedStore(dataDir);
    try {
      log(`duplicates, embedded store, ${n} photos: filling`);
      const fillS = await fill(store, library, modelId);
      log(`  plain kNN searches (sample of ${SAMPLE_SEARCHES})`);
      const baseline = await plainSearches(store, library);
      onRow({ store: "embedded", n, fillS, ...(await review(store, library, log)), searchPerPhoto: baseline });
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

export async function esDuplicates(url: string, sizes: number[], modelId: string, log: Log, onRow: OnRow) {
  const client = new Client({ node: url });
  try {
    for (const n of sizes) {
      const library = plantedLibrary(n);
      const index = `bench-duplicates-${n}`;
      await client.indices.delete({ index }, { ignore: [404] });
      const store = new ElasticsearchStore(parseConfig({ ES_HOST: url, ES_INDEX: index, IMAGE_MODEL: modelId }).elasticsearch);
      try {
        log(`duplicates, Elasticsearch, ${n} photos: filling`);
        await store.ensureIndex({ modelId, dims: DIMS });
        await client.indices.putSettings({ index, settings: { refresh_interval: "-1" } });
        const fillS = await fill(store, library, modelId);
        await client.indices.putSettings({ index, settings: { refresh_interval: "1s" } });
        await client.indices.refresh({ index });
        const segments = (await client.cat.segments({ index, format: "json" })).length;
        log(`  plain kNN searches (sample of ${SAMPLE_SEARCHES}); ${segments} segments`);
        const baseline = await plainSearches(store, library);
        log(`  the previous pass: filtered searches, 4 in flight (sample of ${PREVIOUS_PASS_SAMPLE})`);
        const previous = await previousEsPass(store, library);
        onRow({
          store: "elasticsearch",
          n,
          fillS,
          segments,
          ...(await review(store, library, log)),
          searchPerPhoto: baseline,
          previousPass: previous,
        });
      } finally {
        await store.close();
        await client.indices.delete({ index }, { ignore: [404] });
      }
    }
  } finally {
    await client.close();
  }
}
