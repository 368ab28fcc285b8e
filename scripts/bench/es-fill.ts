/**
 * Fills the app's own Elasticsearch index layout (the store's mapping: `int8_hnsw`, one shard)
 * through the app's store, as `npm run ingest` and migrate do, for the benchmarks that search it
 * (sections 1 and 10). Built to finish on a loaded 2-core node: the places bench's first 100k build
 * stopped at 90,000 photos when one bulk page outlasted the 30 s request timeout.
 *
 * - The store's own bulk-load settings (migrate's: no refresh, no replica) during the fill, restored
 *   after it, then one refresh: no small segments for merges to rewrite, HNSW graphs included.
 * - Ten-minute requests, and a page that still fails for a passing reason (timeout, node busy) is
 *   written again after a pause: photos are written by id, so none is written twice.
 * - Progress every 10,000 photos with the rate, the time left and the machine's load.
 * - The index's vector options are read back from its mapping, so a report names what was measured.
 */
import os from "node:os";
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { VECTOR_FIELD } from "@/lib/store/elasticsearch/mapping";
import type { PhotoRecord } from "@/lib/store/types";
import { round } from "./measure";
import { DIMS, syntheticPhoto } from "./synthetic";

type Log = (message: string) => void;

const PAGE = 500;
const PAGE_ATTEMPTS = 4;
const REQUEST_TIMEOUT_MS = 600_000;
const PROGRESS_EVERY = 10_000;

export interface EsFillOptions {
  /** Measure where the index's bytes go (analyze-disk-usage: minutes at 100k on a busy node). */
  diskUsage?: boolean;
}

export async function buildEsIndex(
  url: string,
  index: string,
  modelId: string,
  vectors: Float32Array[],
  log: Log,
  options: EsFillOptions = {},
) {
  const cfg = parseConfig({ ES_HOST: url, ES_INDEX: index, IMAGE_MODEL: modelId, ES_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  const client = new Client({ node: url, requestTimeout: REQUEST_TIMEOUT_MS });
  const store = new ElasticsearchStore(cfg.elasticsearch);
  try {
    await client.indices.delete({ index }, { ignore: [404] });
    await store.ensureIndex({ modelId, dims: DIMS });
    const indexOptions = await vectorIndexOptions(client, index);
    log(`  elasticsearch ${index}: ${vectors.length.toLocaleString("en")} photos into ${indexOptions} (the app's mapping)`);
    const previous = await store.prepareBulkLoad();
    const start = performance.now();
    const progress = progressLog(index, vectors.length, start, log);
    for (let i = 0; i < vectors.length; i += PAGE) {
      const page = vectors.slice(i, i + PAGE).map((v, j) => syntheticPhoto(i + j, v));
      await writePage(store, page, `${index} photos ${i}-${i + page.length - 1}`, log);
      progress(i + page.length);
    }
    const bulkMs = performance.now() - start;
    if (previous) await store.finishBulkLoad(previous);
    await store.refresh();
    const count = await store.count();
    if (count !== vectors.length) throw new Error(`${index} holds ${count} photos after the fill, not ${vectors.length}`);
    log(`  elasticsearch ${index}: filled in ${Math.round(bulkMs / 1000)} s; merging to one segment`);
    const mergeStart = performance.now();
    await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 3_600_000 });
    const mergeMs = performance.now() - mergeStart;
    log(`  elasticsearch ${index}: merged in ${Math.round(mergeMs / 1000)} s`);
    const disk = options.diskUsage === false ? {} : await diskPerMillion(client, index, vectors.length);
    return { bulkMs: round(bulkMs, 0), mergeMs: round(mergeMs, 0), indexOptions, ...disk };
  } finally {
    await store.close();
    await client.close();
  }
}

/** One bulk page, written again after a pause when Elasticsearch was only busy or slow. */
async function writePage(store: ElasticsearchStore, page: PhotoRecord[], what: string, log: Log) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.upsert(page);
    } catch (error) {
      const passing = error instanceof AppError && error.code === "store_unavailable";
      if (!passing || attempt >= PAGE_ATTEMPTS) throw error;
      log(`  ${what}: ${(error as Error).message}; writing the page again (attempt ${attempt + 1} of ${PAGE_ATTEMPTS})`);
      await new Promise((resolve) => setTimeout(resolve, 15_000 * attempt));
    }
  }
}

function progressLog(index: string, total: number, start: number, log: Log) {
  let next = PROGRESS_EVERY;
  return (done: number) => {
    if (done < next && done < total) return;
    next += PROGRESS_EVERY;
    const seconds = (performance.now() - start) / 1000;
    const rate = done / seconds;
    const left = Math.round((total - done) / rate);
    log(
      `  elasticsearch ${index}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} photos, ${Math.round(rate)}/s, ~${left} s left, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  };
}

/** The vector field's index_options type as the index has it (int8_hnsw for the app's mapping). */
async function vectorIndexOptions(client: Client, index: string): Promise<string> {
  const mapping = await client.indices.getMapping({ index });
  const field = mapping[index]?.mappings.properties?.[VECTOR_FIELD] as { index_options?: { type?: string } } | undefined;
  return field?.index_options?.type ?? "dense_vector (default options)";
}

/**
 * Where the index's bytes go, per million photos, from the analyze-disk-usage API: the vector
 * field's own files (float vectors for rescoring, their int8 copies and the HNSW graph; the int8
 * copies and the graph are what must stay in the page cache for fast search) and `_source`.
 */
async function diskPerMillion(client: Client, index: string, count: number) {
  const perMillion = (bytes: number | undefined) => round((((bytes ?? 0) / count) * 1e6) / 1048576, 0);
  const stats = await client.indices.stats({ index, metric: "store" });
  const usage = (await client.indices.diskUsage({ index, run_expensive_tasks: true })) as unknown as Record<
    string,
    { fields?: Record<string, { total_in_bytes?: number }> }
  >;
  const fields = usage[index]?.fields ?? {};
  return {
    diskMbPerMillion: perMillion(stats._all.primaries?.store?.size_in_bytes),
    vectorFieldMbPerMillion: perMillion(fields[VECTOR_FIELD]?.total_in_bytes),
    sourceMbPerMillion: perMillion(fields._source?.total_in_bytes),
  };
}
