/**
 * Section 1: vector search at each size. The embedded store's exact scan against the memory-bandwidth
 * floor and a plain JavaScript loop; Elasticsearch int8 HNSW (the app's own index layout, filled
 * through the app's store) for recall against exact results and latency, with the server's own
 * `took` beside the client's round trip so the HTTP share is visible.
 *
 * The two halves run apart (index.ts starts Elasticsearch only after the embedded figures are taken):
 * an idle JVM beside an in-process scan still takes CPU and cache from it on 2 cores.
 */
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "@/lib/config";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { VECTOR_FIELD } from "@/lib/store/elasticsearch/mapping";
import { exactKnn as quantizedKnn } from "@/lib/store/embedded/knn";
import { VectorMatrix } from "@/lib/store/embedded/vector-matrix";
import { exactKnn } from "./baseline/fp32-knn";
import { buildEsIndex } from "./es-fill";
import { VectorMatrix as Fp32Matrix } from "./baseline/fp32-matrix";
import { jsLoopTopK, round, stat, time, type Stat } from "./measure";
import { DIMS, syntheticCollection } from "./synthetic";

type Log = (message: string) => void;

/** Memory-bandwidth floor: the time to read the matrix once, at the bandwidth measured by copying it. */
export function bandwidthFloor(bytes: number): { gbPerS: number; floorMs: number } {
  const source = new Float32Array(bytes / 4).fill(1);
  const target = new Float32Array(bytes / 4);
  const samples: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    target.set(source);
    samples.push(performance.now() - start);
  }
  const gbPerS = (2 * bytes) / (stat(samples).p50 / 1000) / 1e9;
  return { gbPerS: round(gbPerS, 1), floorMs: round((bytes / (gbPerS * 1e9)) * 1000) };
}

/**
 * The collection of size `n` in the fp32 column-major matrix the store scanned before it quantized
 * (scripts/bench/baseline): the exact truth, and the same-run baseline for the int8 scan.
 */
function loadedCollection(n: number, queryCount: number) {
  const { vectors, queries } = syntheticCollection(n, queryCount);
  const matrix = new Fp32Matrix(DIMS);
  const buildStart = performance.now();
  vectors.forEach((v, i) => matrix.upsert(`p${i}`, v, { folder: "f" }));
  return { vectors, queries, matrix, buildMs: performance.now() - buildStart };
}

/** The store's int8 matrix of the same vectors, rescoring candidates from `vectors` (the store reads them from SQLite). */
function quantizedCollection(vectors: Float32Array[]) {
  const matrix = new VectorMatrix(DIMS, vectors.length);
  vectors.forEach((v, i) => matrix.upsert(`p${i}`, v, { folder: "f" }));
  const search = (q: Float32Array, k: number) => quantizedKnn(matrix, q, k, { exactVectors: (rows) => rows.map((r) => vectors[r]) });
  return { matrix, search };
}

/** The exact top 10 of each query, as photo numbers: the truth recall is measured against. */
function exactTop10(matrix: Fp32Matrix, queries: Float32Array[]): Promise<number[][]> {
  return Promise.all(queries.map(async (q) => (await exactKnn(matrix, q, 10)).map((r) => Number(matrix.idAt(r.row).slice(1)))));
}

export async function embeddedVectorSearch(sizes: number[], queryCount: number, log: Log) {
  const rows = [];
  for (const n of sizes) {
    log(`embedded vector search at ${n}`);
    const { vectors, queries, matrix, buildMs } = loadedCollection(n, queryCount);
    const floor = bandwidthFloor(n * DIMS * 4);
    const embedded = await time(queries.length, (i) => exactKnn(matrix, queries[Math.max(i, 0)]!, 10));
    // Eight clients at once: queries that arrive during a scan are scored together in the next one.
    const concurrent = await time(5, (i) =>
      Promise.all(Array.from({ length: 8 }, (_, j) => exactKnn(matrix, queries[(Math.max(i, 0) * 8 + j) % queries.length]!, 10))),
    );
    const jsLoop = await time(Math.min(5, queries.length), (i) => jsLoopTopK(vectors, queries[Math.max(i, 0)]!, 10));
    const int8 = quantizedCollection(vectors);
    const exact = await exactTop10(matrix, queries);
    let found = 0;
    const quantized = await time(queries.length, async (i) => {
      const rows = await int8.search(queries[Math.max(i, 0)]!, 10);
      if (i >= 0) found += rows.filter((r) => exact[i]!.includes(r.row)).length;
    });
    const quantizedConcurrent = await time(5, (i) =>
      Promise.all(Array.from({ length: 8 }, (_, j) => int8.search(queries[(Math.max(i, 0) * 8 + j) % queries.length]!, 10))),
    );
    rows.push({
      n,
      bandwidth: floor,
      embedded: {
        ...embedded,
        qps: round(1000 / embedded.p50, 1),
        buildMs: round(buildMs, 0),
        memoryMbPerMillion: round((DIMS * 4 * 1e6) / 1048576, 0),
        vsFloor: round(embedded.p50 / floor.floorMs, 2),
        qps8Clients: round(8000 / concurrent.p50, 1),
      },
      jsLoop: { ...jsLoop, vsEmbedded: round(jsLoop.p50 / embedded.p50, 1) },
      // The store's scan since the int8 matrix: candidates from int8, rescored in fp32.
      quantized: {
        ...quantized,
        recallAt10: round(found / (queries.length * 10), 3),
        vsFp32: round(quantized.p50 / embedded.p50, 2),
        memoryMbPerMillion: round((DIMS * 1e6) / 1048576, 0),
        qps8Clients: round(8000 / quantizedConcurrent.p50, 1),
      },
    });
  }
  return rows;
}

export interface EsVectorSearchOptions {
  url: string;
  sizes: number[];
  queries: number;
  /** Queries run before measuring: the JVM compiles its hot paths for a while after start. */
  warmup: number;
  modelId: string;
  log: Log;
}

export const esIndexName = (n: number) => `bench-photos-${n}`;

export async function esVectorSearch(options: EsVectorSearchOptions) {
  const results: Record<string, unknown>[] = [];
  for (const n of options.sizes) {
    options.log(`Elasticsearch vector search at ${n}`);
    const { vectors, queries, matrix } = loadedCollection(n, options.queries);
    const exact = await exactTop10(matrix, queries);
    const index = esIndexName(n);
    const build = await buildEsIndex(options.url, index, options.modelId, vectors, options.log);
    results.push({ n, index, ...build, ...(await esSearch(options, index, queries, exact)) });
  }
  return results;
}

/** Search settings measured on the raw index (ids only), beside the app's own search. */
const SETTINGS = [
  { name: "nc50", numCandidates: 50, rescore: false, topLevel: false },
  { name: "nc200", numCandidates: 200, rescore: false, topLevel: false },
  // int8 ranks near-ties by quantized scores; re-ranking 3 x k candidates by the float vectors (8.18+) fixes the order.
  { name: "nc100Rescored", numCandidates: 100, rescore: true, topLevel: false },
  // The older top-level knn section, which the store used before: it adds a DFS round trip before the query phase.
  { name: "nc50TopLevel", numCandidates: 50, rescore: false, topLevel: true },
] as const;

async function esSearch(options: EsVectorSearchOptions, index: string, queries: Float32Array[], exact: number[][]) {
  const client = new Client({ node: options.url });
  const knn = (q: Float32Array, numCandidates: number, rescore: boolean) => ({
    field: VECTOR_FIELD,
    query_vector: Array.from(q),
    k: 10,
    num_candidates: numCandidates,
    ...(rescore ? { rescore_vector: { oversample: 3 } } : {}),
  });
  const warmup = syntheticCollection(1, options.warmup, 7).queries;
  const warmStart = performance.now();
  for (const q of warmup) await client.search({ index, query: { knn: knn(q, 100, false) }, size: 10, _source: false });
  const out: Record<string, unknown> = { warmupQueries: warmup.length, warmupMs: round(performance.now() - warmStart, 0) };
  const recallOf = (ids: (string | undefined)[], i: number) => ids.filter((id) => exact[i]!.includes(Number(id?.slice(5)))).length;
  for (const setting of SETTINGS) {
    let hits = 0;
    const took: number[] = [];
    const latency = await time(queries.length, async (i) => {
      const section = knn(queries[Math.max(i, 0)]!, setting.numCandidates, setting.rescore);
      const response = await client.search({
        index,
        ...(setting.topLevel ? { knn: section } : { query: { knn: section } }),
        size: 10,
        _source: false,
      });
      if (i < 0) return;
      took.push(response.took);
      hits += recallOf(
        response.hits.hits.map((h) => h._id),
        i,
      );
    });
    out[setting.name] = {
      ...latency,
      qps: round(1000 / latency.p50, 1),
      tookP50: stat(took).p50,
      recallAt10: round(hits / (queries.length * 10), 3),
    };
  }
  // As the app searches: through its store (num_candidates 100, rescored on 8.18+, metadata fetched).
  const store = new ElasticsearchStore(parseConfig({ ES_HOST: options.url, ES_INDEX: index, IMAGE_MODEL: options.modelId }).elasticsearch);
  let hits = 0;
  const app: Stat = await time(queries.length, async (i) => {
    const page = await store.searchVector({ vector: queries[Math.max(i, 0)]!, k: 10, offset: 0 });
    if (i >= 0)
      hits += recallOf(
        page.hits.map((h) => h.photo.id),
        i,
      );
  });
  out.appStore = { ...app, qps: round(1000 / app.p50, 1), recallAt10: round(hits / (queries.length * 10), 3) };
  await store.close();
  await client.close();
  return out;
}
