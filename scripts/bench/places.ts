/**
 * npm run bench:places [-- --sizes 10000,100000 --queries 30]
 * Places, measured beside a same-run baseline: reverse geocoding per photo (lib/places, after the
 * one-off gazetteer load), and a kNN restricted to a map area against the same kNN without it on
 * the embedded store (synthetic library: a third of the photos at five places, ~7% in the area).
 * Prints JSON for docs/benchmarks.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { placeOf } from "@/lib/places";
import { EmbeddedStore } from "@/lib/store/embedded";
import { seededRandom } from "@/lib/testing";
import { round, time } from "./measure";
import { DIMS, syntheticCollection, syntheticPhoto } from "./synthetic";

const { values } = parseArgs({ options: { sizes: { type: "string" }, queries: { type: "string" } } });
const sizes = (values.sizes ?? "10000,100000").split(",").map(Number);
const queries = Number(values.queries ?? 30);
const log = (message: string) => process.stderr.write(`[bench:places ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
/** Florence and its surroundings: the synthetic photos of one of the five places. */
const AREA = { box: { top: 44.0, left: 11.0, bottom: 43.5, right: 11.5 } };

function reverseGeocoding() {
  const loadStart = performance.now();
  placeOf({ lat: 43.46, lon: 11.88 });
  const loadMs = performance.now() - loadStart;
  const random = seededRandom(15);
  // Positions over the inhabited latitudes; some fall at sea and get no place (they cost the same).
  const points = Array.from({ length: 20_000 }, () => ({ lat: random() * 120 - 55, lon: random() * 360 - 180 }));
  const start = performance.now();
  let named = 0;
  for (const point of points) if (placeOf(point)) named++;
  const perPhotoUs = ((performance.now() - start) * 1000) / points.length;
  return { gazetteerLoadMs: round(loadMs, 0), perPhotoUs: round(perPhotoUs, 1), photos: points.length, named };
}

async function areaKnn(n: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-places-"));
  const store = new EmbeddedStore(dir);
  try {
    const { vectors, queries: qs } = syntheticCollection(n, queries);
    await store.ensureIndex({ modelId: "bench/places", dims: DIMS });
    for (let i = 0; i < n; i += 2_000) await store.upsert(vectors.slice(i, i + 2_000).map((v, j) => syntheticPhoto(i + j, v)));
    const inArea = await store.count(AREA);
    const search = (filter?: typeof AREA) => (i: number) => store.searchVector({ vector: qs[Math.max(i, 0)]!, k: 24, offset: 0, filter });
    const without = await time(qs.length, search());
    const within = await time(qs.length, search(AREA));
    const full = await store.searchVector({ vector: qs[0]!, k: 24, offset: 0, filter: AREA });
    return { n, inArea, without, within, addedP50Ms: round(within.p50 - without.p50, 2), kReturned: full.hits.length };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  log("reverse geocoding");
  const geocoding = reverseGeocoding();
  const embedded = [];
  for (const n of sizes) {
    log(`embedded area kNN at ${n}`);
    embedded.push(await areaKnn(n));
  }
  console.log(JSON.stringify({ measured: new Date().toISOString(), cpus: os.cpus().length, geocoding, embedded }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
