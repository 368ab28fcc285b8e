/**
 * Scale section: Elasticsearch's vector index options at one size, on the same synthetic vectors
 * (scripts/bench/synthetic.ts): plain `hnsw` (float graph), `int8_hnsw`, and `bbq_hnsw` (1-bit),
 * the quantized ones also with `rescore_vector` oversampling (8.18+/9.x: the candidates re-ranked
 * by their float vectors). For each: recall@10 against the exact fp32 top 10, p50/p99 at one
 * client, QPS at 8 clients, build time (bulk, refresh, merge to one segment), disk, and heap.
 * Raw indices with only the vector field, so the figures are the vector index's own.
 */
import { Client } from "@elastic/elasticsearch";
import { round, stat } from "../measure";
import { DIMS } from "../synthetic";
import { cachedCollection } from "./synthetic-cache";

type Log = (message: string) => void;

export const INDEX_TYPES = ["hnsw", "int8_hnsw", "bbq_hnsw"] as const;
type IndexType = (typeof INDEX_TYPES)[number];
const FIELD = "v";

/**
 * The search settings tried on each index: num_candidates, and oversampling where the index
 * quantizes. `oversample: 0` turns rescoring off explicitly: 9.x rescores `bbq_hnsw` ×3 by default,
 * so without it the "no rescoring" row would rescore too.
 */
const SETTINGS = [
  { name: "nc100", numCandidates: 100, oversample: 0 },
  { name: "nc100 rescore×3", numCandidates: 100, oversample: 3 },
  { name: "nc300", numCandidates: 300, oversample: 0 },
  { name: "nc300 rescore×10", numCandidates: 300, oversample: 10 },
] as const;

/** Bulk requests in flight: Elasticsearch indexes one request per shard on one write thread, so one at a time leaves a core idle. */
const BULK_IN_FLIGHT = 2;
const BULK_SIZE = 2000;
/**
 * Up to this size the index is force-merged to one segment (each segment is searched on its own, so
 * one segment is the index at its fastest). Beyond it the merge would rebuild most of the graph
 * again (an hour at a million on 2 cores): the index is searched as its merge policy left it, and
 * the table says how many segments that is.
 */
const MERGE_TO_ONE_MAX = 200_000;
const WARM_UP_SEARCHES = 1000;

export async function esQuantization(options: {
  url: string;
  sizes: number[];
  types?: string[];
  queries: number;
  log: Log;
  /** Called with every row so far after each index, so a long run stopped midway keeps what it measured. */
  onRows?: (figures: { queries: number; rows: unknown[] }) => void;
}) {
  const types = INDEX_TYPES.filter((type) => !options.types || options.types.includes(type));
  if (options.types?.some((type) => !(INDEX_TYPES as readonly string[]).includes(type)))
    throw new Error(`--es-types takes ${INDEX_TYPES.join(", ")}; got ${options.types.join(", ")}`);
  const client = new Client({ node: options.url, requestTimeout: 3_600_000 });
  const rows: unknown[] = [];
  try {
    for (const size of options.sizes)
      await atSize(client, size, types, options.queries, options.log, (indexRows) => {
        rows.push(...indexRows);
        options.onRows?.({ queries: options.queries, rows });
      });
  } finally {
    await client.close();
  }
  return { queries: options.queries, rows };
}

async function atSize(
  client: Client,
  size: number,
  types: readonly IndexType[],
  queryCount: number,
  log: Log,
  measured: (rows: unknown[]) => void,
) {
  log(`synthetic set of ${size} and the exact top 10 of ${queryCount} queries`);
  const { vectors, queries, exact } = cachedCollection(size, queryCount, log);
  for (const type of types) {
    const rows: unknown[] = [];
    const index = `scale-${type.replace("_", "-")}-${size}`;
    log(`Elasticsearch ${type}: building ${index}`);
    const build = await buildIndex(client, index, type, vectors, log);
    await warmUp(client, index, queries);
    for (const setting of SETTINGS) {
      if (setting.oversample && type === "hnsw") continue; // nothing to rescore: the graph holds floats
      log(`Elasticsearch ${type} at ${size}: ${setting.name}`);
      const figures = await searchFigures(client, index, { ...setting, quantized: type !== "hnsw" }, queries, exact);
      log(`  recall@10 ${figures.recallAt10}, p50 ${figures.p50} ms, QPS 8 clients ${figures.qps8Clients}`);
      rows.push({ n: size, type, setting: setting.name, ...build, ...figures });
    }
    if (type === types[0]) {
      log(`Elasticsearch ${type} at ${size}: the request alone (a filter matching nothing)`);
      const floor = await searchFigures(client, index, { ...SETTINGS[0], quantized: false, matchNothing: true }, queries, exact);
      rows.push({ n: size, type, setting: "request alone", ...build, ...floor, recallAt10: undefined });
    }
    await client.indices.delete({ index }, { ignore: [404] });
    measured(rows);
  }
}

async function buildIndex(client: Client, index: string, type: IndexType, vectors: Float32Array[], log: Log) {
  await client.indices.delete({ index }, { ignore: [404] });
  await client.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "-1" },
    mappings: {
      // The vector is not kept in _source: its index files are what is measured.
      _source: { excludes: [FIELD] },
      properties: { [FIELD]: { type: "dense_vector", dims: DIMS, index: true, similarity: "dot_product", index_options: { type } } },
    },
  });
  const start = performance.now();
  let next = 0;
  const sendBatches = async () => {
    while (next < vectors.length) {
      const from = next;
      next += BULK_SIZE;
      const operations = vectors
        .slice(from, from + BULK_SIZE)
        .flatMap((v, j) => [{ index: { _index: index, _id: String(from + j) } }, { [FIELD]: Array.from(v) }]);
      const response = await client.bulk({ operations });
      if (response.errors) throw new Error(`bulk into ${index} failed: ${JSON.stringify(response.items.find((x) => x.index?.error))}`);
      if ((from / BULK_SIZE) % 50 === 49)
        log(`  ${index}: ${from + BULK_SIZE} vectors, ${Math.round((performance.now() - start) / 1000)} s`);
    }
  };
  await Promise.all(Array.from({ length: BULK_IN_FLIGHT }, sendBatches));
  await client.indices.refresh({ index });
  const bulkMs = performance.now() - start;
  if (vectors.length <= MERGE_TO_ONE_MAX) await client.indices.forcemerge({ index, max_num_segments: 1 });
  else await settleMerges(client, index);
  const buildMs = performance.now() - start;
  const segments = (await client.cat.segments({ index, format: "json" })).filter((s) => s.searchable !== "false").length;
  const stats = await client.indices.stats({ index, metric: "store" });
  const usage = (await client.indices.diskUsage({ index, run_expensive_tasks: true })) as unknown as Record<
    string,
    { fields?: Record<string, { total_in_bytes?: number; knn_vectors_in_bytes?: number }> }
  >;
  const field = usage[index]?.fields?.[FIELD];
  const mb = (bytes: number | undefined) => round((bytes ?? 0) / 1048576, 0);
  return {
    segments,
    bulkS: round(bulkMs / 1000, 1),
    buildS: round(buildMs / 1000, 1),
    diskMb: mb(stats._all.primaries?.store?.size_in_bytes),
    vectorFieldMb: mb(field?.total_in_bytes),
  };
}

/**
 * Searches a new index before any setting is timed: its files enter the page cache and the JVM
 * compiles the search path for this index type. Without it the first setting measured on each index
 * ran 1.5-1.9× slower than the next ones at 100,000 vectors.
 */
async function warmUp(client: Client, index: string, queries: Float32Array[]) {
  const setting = { numCandidates: 100, oversample: 0, quantized: false };
  for (let i = 0; i < WARM_UP_SEARCHES; i++) await knnSearch(client, index, queries[i % queries.length]!, setting);
}

/** Waits until the merges the bulk load started are done, so searches do not share the cores with them. */
async function settleMerges(client: Client, index: string) {
  for (;;) {
    const stats = await client.indices.stats({ index, metric: "merge" });
    if ((stats._all.primaries?.merges?.current ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

interface SearchSetting {
  numCandidates: number;
  oversample: number;
  quantized: boolean;
  /** The same request with a filter that matches no vector: what the request costs around the graph search. */
  matchNothing?: boolean;
}

/** One knn search as the warm-up and the timed searches send it: the top 10, ids only. */
function knnSearch(client: Client, index: string, q: Float32Array, setting: SearchSetting) {
  return client.search({
    index,
    query: {
      knn: {
        field: FIELD,
        query_vector: Array.from(q),
        k: 10,
        num_candidates: setting.numCandidates,
        ...(setting.quantized ? { rescore_vector: { oversample: setting.oversample } } : {}),
        ...(setting.matchNothing ? { filter: { ids: { values: [] } } } : {}),
      },
    },
    size: 10,
    _source: false,
  });
}

async function searchFigures(client: Client, index: string, setting: SearchSetting, queries: Float32Array[], exact: number[][]) {
  const tooks: number[] = [];
  const search = async (q: Float32Array) => {
    const response = await knnSearch(client, index, q, setting);
    tooks.push(response.took);
    return response;
  };
  for (let i = 0; i < Math.min(200, queries.length * 2); i++) await search(queries[i % queries.length]!); // JIT and page cache
  tooks.length = 0;
  let hits = 0;
  const samples: number[] = [];
  for (const [i, q] of queries.entries()) {
    const start = performance.now();
    const response = await search(q);
    samples.push(performance.now() - start);
    hits += response.hits.hits.filter((h) => exact[i]!.includes(Number(h._id))).length;
  }
  const tookP50 = stat(tooks).p50;
  const sorted = [...samples].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
  // Eight clients, each running through the queries, for the throughput with queries overlapping.
  const concurrentStart = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, c) => {
      for (let i = c; i < queries.length * 2; i += 8) {
        await search(queries[i % queries.length]!);
        done++;
      }
    }),
  );
  const qps8 = done / ((performance.now() - concurrentStart) / 1000);
  const nodes = await client.nodes.stats({ metric: "jvm" });
  const heapUsed = Object.values(nodes.nodes)[0]?.jvm?.mem?.heap_used_in_bytes ?? 0;
  return {
    recallAt10: round(hits / (queries.length * 10), 3),
    p50: stat(samples).p50,
    p99: round(p99),
    tookP50,
    qps8Clients: round(qps8, 1),
    heapUsedMb: round(heapUsed / 1048576, 0),
  };
}
