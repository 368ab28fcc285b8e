/**
 * Child process of the embedded scale section: opens a filled library as the server would, and
 * reports the time to load it, the resident memory after loading, and searches through the store
 * (int8 scan, fp32 rescoring from SQLite, photo rows): latency and the ids found, for recall.
 * `origin` says where the matrix came from: the snapshot beside the database, or the database.
 * A process of its own so its memory is the store's alone.
 *   tsx --conditions=react-server scripts/bench/scale/open-library.ts <dataDir> <queries.f32>
 */
import fs from "node:fs";
import { EmbeddedStore } from "@/lib/store/embedded";
import { stat } from "../measure";
import { DIMS } from "../synthetic";

const [dataDir, queriesFile] = process.argv.slice(2);
const raw = fs.readFileSync(queriesFile!);
const flat = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const queries = Array.from({ length: flat.length / DIMS }, (_, i) => flat.subarray(i * DIMS, (i + 1) * DIMS));

const mb = (bytes: number) => Math.round(bytes / 1048576);
const rssBeforeMb = mb(process.memoryUsage().rss);
const openStart = performance.now();
const store = new EmbeddedStore(dataDir!);
const count = await store.count(); // the first read loads the int8 matrix (its snapshot, or SQLite)
const openS = (performance.now() - openStart) / 1000;
const origin = store.matrixOrigin;
global.gc?.();
const rssMb = mb(process.memoryUsage().rss);

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
  JSON.stringify({ count, origin, openS: Math.round(openS * 10) / 10, rssBeforeMb, rssMb, ...stat(samples), qps8Clients, ids }) + "\n",
);
