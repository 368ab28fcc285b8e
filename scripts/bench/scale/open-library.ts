/**
 * Child process of the embedded scale section: opens a filled library as the server would, and
 * reports the time to load it, the resident memory after loading, and searches through the store
 * (candidates, fp32 rescoring from SQLite, photo rows): latency and the ids found, for recall.
 * `origin` says where the matrix came from: the snapshot beside the database, or the database.
 * The graph mode says where unfiltered searches take their candidates from: `off`, the int8 scan
 * of every photo; `build`, the graph index built here first (its build time, and how long the
 * event loop was held meanwhile); `load`, the graph index saved by the previous `build`.
 * A process of its own so its memory is the store's alone.
 *   tsx --conditions=react-server scripts/bench/scale/open-library.ts <dataDir> <queries.f32> <off|build|load>
 */
import fs from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { EmbeddedStore } from "@/lib/store/embedded";
import { stat } from "../measure";
import { DIMS } from "../synthetic";

const [dataDir, queriesFile, mode = "off"] = process.argv.slice(2);
const raw = fs.readFileSync(queriesFile!);
const flat = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const queries = Array.from({ length: flat.length / DIMS }, (_, i) => flat.subarray(i * DIMS, (i + 1) * DIMS));

const mb = (bytes: number) => Math.round(bytes / 1048576);
const rssBeforeMb = mb(process.memoryUsage().rss);
const openStart = performance.now();
// The graph modes build or load the graph whatever the library's size, to compare it with the scan at every size.
const store = new EmbeddedStore(dataDir!, { graphMinRows: mode === "off" ? Number.POSITIVE_INFINITY : 1 });
const count = await store.count(); // the first read loads the int8 matrix (its snapshot, or SQLite)
const openS = (performance.now() - openStart) / 1000;
const origin = store.matrixOrigin;
global.gc?.();
const rssMb = mb(process.memoryUsage().rss);

let graph: Record<string, unknown> | undefined;
if (mode !== "off") {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ready = await store.graphReady();
  delay.disable();
  global.gc?.();
  const files = fs.readdirSync(dataDir!).filter((f) => f.startsWith("library.graph-"));
  graph = {
    ready,
    ...store.graphInfo(),
    rssMb: mb(process.memoryUsage().rss),
    fileMb: mb(files.reduce((sum, f) => sum + fs.statSync(`${dataDir}/${f}`).size, 0)),
    eventLoopP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
    eventLoopMaxMs: Math.round(delay.max / 1e5) / 10,
  };
}

const search = (q: Float32Array) => store.searchVector({ vector: q, k: 10, offset: 0 });
for (const q of queries.slice(0, 5)) await search(q);
const samples: number[] = [];
const ids: number[][] = [];
for (const q of queries) {
  const start = performance.now();
  const page = await search(q);
  samples.push(performance.now() - start);
  ids.push(page.hits.map((h) => Number(h.photo.id.replace(/^bench/, ""))));
}
// Eight clients at once: the store shares scans between waiting queries.
const concurrentStart = performance.now();
let done = 0;
await Promise.all(
  Array.from({ length: 8 }, async (_, c) => {
    for (let i = c; i < queries.length; i += 8) {
      await search(queries[i]!);
      done++;
    }
  }),
);
const qps8Clients = Math.round((done / ((performance.now() - concurrentStart) / 1000)) * 10) / 10;
await store.close();
process.stdout.write(
  JSON.stringify({ count, origin, openS: Math.round(openS * 10) / 10, rssBeforeMb, rssMb, graph, ...stat(samples), qps8Clients, ids }) +
    "\n",
);
