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
const FIELD = "v";

/** The search settings tried on each index: num_candidates, and oversampling where the index quantizes. */
const SETTINGS = [
  { name: "nc100", numCandidates: 100 },
  { name: "nc100 rescore×3", numCandidates: 100, oversample: 3 },
] as const;

export async function esQuantization(options: { url: string; size: number; queries: number; log: Log }) {
  const { size, log } = options;
  log(`synthetic set of ${size} and the exact top 10 of ${options.queries} queries`);
  const { vectors, queries, exact } = cachedCollection(size, options.queries, log);
  const client = new Client({ node: options.url, requestTimeout: 3_600_000 });
  const rows = [];
  try {
    for (const type of INDEX_TYPES) {
      const index = `scale-${type.replace("_", "-")}-${size}`;
      log(`Elasticsearch ${type}: building ${index}`);
      const build = await buildIndex(client, index, type, vectors, log);
      for (const setting of SETTINGS) {
        if ("oversample" in setting && type === "hnsw") continue; // nothing to rescore: the graph holds floats
        log(`Elasticsearch ${type}: ${setting.name}`);
        rows.push({ type, setting: setting.name, ...build, ...(await searchFigures(client, index, setting, queries, exact)) });
      }
      await client.indices.delete({ index }, { ignore: [404] });
    }
  } finally {
    await client.close();
  }
  return { size, queries: queries.length, rows };
}

async function buildIndex(client: Client, index: string, type: (typeof INDEX_TYPES)[number], vectors: Float32Array[], log: Log) {
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
  for (let i = 0; i < vectors.length; i += 2000) {
    const operations = vectors
      .slice(i, i + 2000)
      .flatMap((v, j) => [{ index: { _index: index, _id: String(i + j) } }, { [FIELD]: Array.from(v) }]);
    const response = await client.bulk({ operations });
    if (response.errors) throw new Error(`bulk into ${index} failed: ${JSON.stringify(response.items.find((x) => x.index?.error))}`);
    if ((i / 2000) % 50 === 49) log(`  ${index}: ${i + 2000} vectors`);
  }
  await client.indices.refresh({ index });
  const bulkMs = performance.now() - start;
  await client.indices.forcemerge({ index, max_num_segments: 1 });
  const buildMs = performance.now() - start;
  const stats = await client.indices.stats({ index, metric: "store" });
  const usage = (await client.indices.diskUsage({ index, run_expensive_tasks: true })) as unknown as Record<
    string,
    { fields?: Record<string, { total_in_bytes?: number; knn_vectors_in_bytes?: number }> }
  >;
  const field = usage[index]?.fields?.[FIELD];
  const mb = (bytes: number | undefined) => round((bytes ?? 0) / 1048576, 0);
  return {
    bulkS: round(bulkMs / 1000, 1),
    buildS: round(buildMs / 1000, 1),
    diskMb: mb(stats._all.primaries?.store?.size_in_bytes),
    vectorFieldMb: mb(field?.total_in_bytes),
  };
}

async function searchFigures(
  client: Client,
  index: string,
  setting: { numCandidates: number; oversample?: number },
  queries: Float32Array[],
  exact: number[][],
) {
  const search = (q: Float32Array) =>
    client.search({
      index,
      query: {
        knn: {
          field: FIELD,
          query_vector: Array.from(q),
          k: 10,
          num_candidates: setting.numCandidates,
          ...(setting.oversample ? { rescore_vector: { oversample: setting.oversample } } : {}),
        },
      },
      size: 10,
      _source: false,
    });
  for (let i = 0; i < Math.min(200, queries.length * 2); i++) await search(queries[i % queries.length]!); // JIT and page cache
  let hits = 0;
  const samples: number[] = [];
  for (const [i, q] of queries.entries()) {
    const start = performance.now();
    const response = await search(q);
    samples.push(performance.now() - start);
    hits += response.hits.hits.filter((h) => exact[i]!.includes(Number(h._id))).length;
  }
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
    qps8Clients: round(qps8, 1),
    heapUsedMb: round(heapUsed / 1048576, 0),
  };
}
