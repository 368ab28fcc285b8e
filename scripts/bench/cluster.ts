/**
 * npm run bench:cluster [-- --scale]: outgrowing one machine (issue 17), each figure beside a
 * same-run baseline.
 * - Failover: a 3-node cluster (scripts/elasticsearch/multi-node.ts); 4 clients search the app's index
 *   for a while (baseline), then again while the node holding the primary shard is SIGKILLed and the
 *   replica is promoted and rebuilt: errors and p50/p99 of both windows.
 * - Migrate: an embedded library of synthetic photos → Elasticsearch through lib/migrate (nothing is
 *   embedded), beside the same documents bulk-indexed straight from memory (the cluster's ceiling).
 * - Sharded ingest: 1, 2 and 4 `npm run ingest -- --shard i/n` processes filling one index from the
 *   same Flickr photos: photos/s, beside one process's model-only rate.
 * --scale multiplies the sizes (an hour-long run; CI never runs it).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "@/lib/config";
import { migrate } from "@/lib/migrate";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { toDocument } from "@/lib/store/elasticsearch/documents";
import { indexBody } from "@/lib/store/elasticsearch/mapping";
import { createServerEmbedders } from "@/lib/embedding/server";
import { decodeImage } from "@/lib/ingest/image";
import { EmbeddedStore } from "@/lib/store/embedded";
import type { PhotoRecord } from "@/lib/store/types";
import { DATASETS, PROJECT, TEST_MODEL_ENV } from "@/lib/testing";
import { startNodes, type MultiNodeCluster } from "../elasticsearch/multi-node";
import { round } from "./measure";
import { syntheticCollection } from "./synthetic";

type Log = (message: string) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
}

function syntheticRecords(count: number): PhotoRecord[] {
  const { vectors } = syntheticCollection(count, 0, 4242);
  return vectors.map((vector, i) => ({
    id: createId(i),
    root: "/library",
    path: `set-${i % 50}/${i}.jpg`,
    folder: `library/set-${i % 50}`,
    name: `${i}.jpg`,
    width: 4000,
    height: 3000,
    bytes: 3_000_000 + i,
    mime: "image/jpeg",
    takenAt: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString(),
    caption: `synthetic photo ${i}`,
    tags: i % 3 ? ["travel"] : [],
    extra: {},
    indexedAt: new Date().toISOString(),
    vector,
  }));
}

function createId(i: number): string {
  // Spread like content hashes: the high bits vary first.
  return ((i * 2654435761) >>> 0).toString(16).padStart(8, "0") + i.toString(16).padStart(24, "0");
}

interface LoadWindow {
  searches: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

async function searchLoad(store: ElasticsearchStore, queries: Float32Array[], until: () => boolean): Promise<LoadWindow> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    [0, 1, 2, 3].map(async (worker) => {
      for (let i = worker; !until(); i += 4) {
        const started = performance.now();
        try {
          await store.searchVector({ vector: queries[i % queries.length]!, k: 10, offset: 0 });
          latencies.push(performance.now() - started);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { searches: latencies.length + errors, errors, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

async function failover(cluster: MultiNodeCluster, scale: number, log: Log) {
  const index = `bench-failover-${Date.now().toString(36)}`;
  const env = { ...TEST_MODEL_ENV, ES_HOST: cluster.urls.join(","), ES_INDEX: index };
  const store = new ElasticsearchStore(parseConfig({ ...env, ES_REQUEST_TIMEOUT_MS: "60000" }).elasticsearch);
  // Loaded as migrate loads (no refresh, no replica, 3 pages in flight, minutes allowed per page), then the replica is copied.
  const loader = new ElasticsearchStore(parseConfig({ ...env, ES_REQUEST_TIMEOUT_MS: "300000" }).elasticsearch);
  const admin = new Client({ nodes: cluster.urls, requestTimeout: 900_000 });
  const count = 10_000 * scale;
  const records = syntheticRecords(count);
  await loader.ensureIndex({ modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 });
  const previous = await loader.prepareBulkLoad();
  for (let i = 0; i < count; i += 3_000) {
    await Promise.all([0, 1_000, 2_000].map((offset) => loader.upsert(records.slice(i + offset, Math.min(count, i + offset + 1_000)))));
  }
  if (previous) await loader.finishBulkLoad(previous);
  await loader.close();
  await store.refresh();
  await admin.indices.putSettings({ index, settings: { "index.unassigned.node_left.delayed_timeout": "5s" } });
  await admin.cluster.health({ index, wait_for_status: "green", timeout: "300s" });
  const queries = syntheticCollection(count, 200, 4242).queries;
  const windowMs = 20_000 * Math.min(scale, 3);
  log(`failover: baseline searches for ${windowMs / 1000} s on ${count} photos`);
  let deadline = Date.now() + windowMs;
  const baseline = await searchLoad(store, queries, () => Date.now() > deadline);
  const shards = await admin.cat.shards({ index, format: "json", h: "prirep,node" });
  const victim = Number(/node-(\d+)/.exec(shards.find((s) => s.prirep === "p")?.node ?? "")?.[1] ?? 0);
  log(`failover: the same load, node-${victim} (the primary's) SIGKILLed after ${windowMs / 3000} s, until green again`);
  let recovered = false;
  let recoveryMs = 0;
  deadline = Date.now() + windowMs;
  const during = searchLoad(store, queries, () => recovered && Date.now() > deadline);
  await sleep(windowMs / 3);
  const killedAt = Date.now();
  await cluster.kill(victim);
  // First until the cluster has seen the node go (a node still holding the old cluster state answers "green" at once).
  await admin.cluster.health({ wait_for_nodes: "2", timeout: "120s" });
  await admin.cluster.health({ index, wait_for_status: "green", timeout: "600s" });
  recoveryMs = Date.now() - killedAt;
  recovered = true;
  const failoverWindow = await during;
  await admin.close();
  await store.close();
  return {
    photos: count,
    killed: `node-${victim}`,
    recoveryS: Math.round(recoveryMs / 100) / 10,
    baseline,
    failover: failoverWindow,
    loadAverage: round(os.loadavg()[0]!, 1),
  };
}

/** The settings migrate gives the target while it copies (lib/store/elasticsearch prepareBulkLoad). */
const BULK_LOAD = { "index.refresh_interval": "-1", "index.auto_expand_replicas": "false", "index.number_of_replicas": "0" };

/**
 * The same documents bulk-indexed from memory by the client's bulk helper, in requests of the same
 * size and as many in flight as migrate sends, with the same settings during the load, restored and
 * refreshed at the end: the floor under migrate (what Elasticsearch takes, with no store to read).
 */
async function bulkFromMemory(client: Client, index: string, records: PhotoRecord[], vectorIndex: "int8_hnsw" | "int8_flat") {
  const body = indexBody({ modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 });
  body.mappings.properties.image_embedding.index_options = { type: vectorIndex } as never;
  await client.indices.create({ index, ...body });
  const previous = (await client.indices.getSettings({ index, flat_settings: true }))[index]!.settings as Record<string, unknown>;
  await client.indices.putSettings({ index, settings: BULK_LOAD });
  const documents = records.map(toDocument);
  const started = performance.now();
  const result = await client.helpers.bulk({
    datasource: documents,
    onDocument: (doc) => ({ index: { _index: index, _id: doc.photo_id } }),
    // About MIGRATE_BATCH documents per request, as migrate sends them.
    flushBytes: JSON.stringify(documents[0]).length * MIGRATE_BATCH,
    concurrency: MIGRATE_CONCURRENCY,
  });
  await client.indices.putSettings({
    index,
    settings: Object.fromEntries(Object.keys(BULK_LOAD).map((key) => [key, (previous[key] as string | undefined) ?? null])),
  });
  await client.indices.refresh({ index });
  const seconds = (performance.now() - started) / 1000;
  if (result.failed > 0) throw new Error(`${result.failed} documents failed in the bulk baseline`);
  return seconds;
}

/** Reading every page from SQLite and serializing it as the bulk body does, with no network: the source side alone. */
async function sourceAlone(source: EmbeddedStore): Promise<{ seconds: number; scanS: number; jsonS: number; bytesPerPhoto: number }> {
  let scanMs = 0;
  let jsonMs = 0;
  let bytes = 0;
  let photos = 0;
  const started = performance.now();
  for (let after: string | undefined; ;) {
    let t = performance.now();
    const page = await source.scan(after, MIGRATE_BATCH);
    scanMs += performance.now() - t;
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    t = performance.now();
    for (const record of page) bytes += JSON.stringify(toDocument(record)).length;
    jsonMs += performance.now() - t;
    photos += page.length;
  }
  return {
    seconds: (performance.now() - started) / 1000,
    scanS: scanMs / 1000,
    jsonS: jsonMs / 1000,
    bytesPerPhoto: Math.round(bytes / Math.max(1, photos)),
  };
}

const MIGRATE_BATCH = 1_000;
const MIGRATE_CONCURRENCY = 3;

/** The largest difference between a sample of vectors in the target and in the source (0: copied bit for bit). */
async function vectorDifference(source: EmbeddedStore, target: ElasticsearchStore, records: PhotoRecord[]): Promise<number> {
  let worst = 0;
  for (let i = 0; i < records.length; i += Math.max(1, Math.floor(records.length / 200))) {
    const [a, b] = await Promise.all([source.getVector(records[i]!.id), target.getVector(records[i]!.id)]);
    if (!a || !b) return Infinity;
    for (let d = 0; d < a.length; d++) worst = Math.max(worst, Math.abs(a[d]! - b[d]!));
  }
  return worst;
}

export async function migrateRate(urls: string[], scale: number, log: Log) {
  const count = 20_000 * scale;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-migrate-"));
  const source = new EmbeddedStore(dataDir);
  const model = { modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 };
  await source.ensureIndex(model);
  const records = syntheticRecords(count);
  for (let i = 0; i < count; i += 2_000) await source.upsert(records.slice(i, i + 2_000));
  const index = `bench-migrate-${Date.now().toString(36)}`;
  // As the migrate CLI sets it: a bulk page may take minutes on a loaded node.
  const target = new ElasticsearchStore(
    parseConfig({ ...TEST_MODEL_ENV, ES_HOST: urls.join(","), ES_INDEX: index, ES_REQUEST_TIMEOUT_MS: "300000" }).elasticsearch,
  );
  const client = new Client({ nodes: urls, requestTimeout: 600_000 });
  const loadBefore = os.loadavg()[0]!;
  log(`migrate: reading ${count} photos from SQLite and serializing them, no network`);
  const alone = await sourceAlone(source);
  log(
    `migrate: ${count} photos embedded → Elasticsearch (${urls.length} nodes), batches of ${MIGRATE_BATCH}, ${MIGRATE_CONCURRENCY} in flight`,
  );
  let started = performance.now();
  const summary = await migrate({
    source,
    target,
    checkpointFile: path.join(dataDir, "checkpoint.json"),
    batchSize: MIGRATE_BATCH,
    concurrency: MIGRATE_CONCURRENCY,
  });
  const migrateS = (performance.now() - started) / 1000;
  started = performance.now();
  await client.cluster.health({ index, wait_for_status: urls.length > 1 ? "green" : "yellow", timeout: "600s" });
  const replicaS = (performance.now() - started) / 1000;
  const difference = await vectorDifference(source, target, records);
  log("migrate: baseline, the same documents bulk-indexed from memory (same requests, same settings)");
  const bulkS = await bulkFromMemory(client, `${index}-bulk`, records, "int8_hnsw");
  log("migrate: the same into an index without the HNSW graph (int8_flat): the copy without the graph build");
  const flatS = await bulkFromMemory(client, `${index}-flat`, records, "int8_flat");
  await client.indices.delete({ index: [index, `${index}-bulk`, `${index}-flat`] }, { ignore: [404] });
  await client.close();
  await Promise.all([source.close(), target.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const perS = (seconds: number) => Math.round(count / seconds);
  return {
    photos: count,
    batch: MIGRATE_BATCH,
    concurrency: MIGRATE_CONCURRENCY,
    migratePerS: perS(migrateS),
    bulkFromMemoryPerS: perS(bulkS),
    withoutGraphPerS: perS(flatS),
    sourceAlonePerS: perS(alone.seconds),
    sourceScanS: round(alone.scanS, 1),
    sourceJsonS: round(alone.jsonS, 1),
    bytesPerPhoto: alone.bytesPerPhoto,
    replicaCopyS: round(replicaS, 1),
    verified: summary.verification?.ok ?? false,
    maxVectorDifference: difference,
    reEmbedded: 0,
    loadAverage: [round(loadBefore, 1), round(os.loadavg()[0]!, 1)],
  };
}

function runIngest(folder: string, env: Record<string, string>, shard?: string): Promise<number> {
  const args = [
    "--import",
    "tsx",
    "--conditions=react-server",
    path.join(PROJECT, "scripts", "ingest.ts"),
    folder,
    "--json",
    "--no-metadata",
  ];
  const child = spawn(process.execPath, shard ? [...args, "--shard", shard] : args, {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "ignore"],
  });
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

/** The image model alone on the same photos, decoded beforehand, in batches of 8 (one process, all cores). */
async function modelOnlyRate(files: string[], env: Record<string, string>): Promise<number> {
  const cfg = parseConfig({ ...env, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-model-")) });
  const { image } = createServerEmbedders(cfg);
  const limits = { maxPixels: 100_000_000, thumbnailSize: 512 };
  const inputs = await Promise.all(files.map(async (file) => (await decodeImage(fs.readFileSync(file), limits)).embedInput));
  await image.embedImages(inputs.slice(0, 8)); // loads the model: not counted
  const started = performance.now();
  for (let i = 0; i < inputs.length; i += 8) await image.embedImages(inputs.slice(i, i + 8));
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  return round(inputs.length / seconds, 1);
}

async function shardedIngest(urls: string[], scale: number, log: Log) {
  const photos = Math.min(1_000, 200 * scale);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shards-"));
  const source = path.join(DATASETS, "flickr8k-1k", "images");
  for (const name of fs.readdirSync(source).sort().slice(0, photos)) fs.copyFileSync(path.join(source, name), path.join(folder, name));
  // The full-size random-weights ViT-B/32 when the bench made it (section 2), else the tiny test model.
  const fullSize = path.join(PROJECT, ".cache", "models", "photo-search", "clip-vit-b32-random");
  const model = fs.existsSync(fullSize)
    ? {
        MODEL_DIR: path.join(PROJECT, ".cache", "models"),
        IMAGE_MODEL: "photo-search/clip-vit-b32-random",
        name: "full-size ViT-B/32 (random weights)",
      }
    : { ...TEST_MODEL_ENV, name: "the tiny test model" };
  const modelEnv = { MODEL_DIR: model.MODEL_DIR, IMAGE_MODEL: model.IMAGE_MODEL, MULTILINGUAL_MODEL: "off" };
  log(`ingest: the model alone on ${photos} photos, one process`);
  const modelOnly = await modelOnlyRate(
    fs
      .readdirSync(folder)
      .sort()
      .map((name) => path.join(folder, name)),
    modelEnv,
  );
  const rows: { workers: number; photosPerS: number; loadAverage: number }[] = [];
  for (const workers of [1, 2, 4]) {
    const index = `bench-shards-${workers}-${Date.now().toString(36)}`;
    const env = { ...modelEnv, ES_HOST: urls.join(","), ES_INDEX: index };
    log(`ingest: ${photos} photos, ${workers} process(es)`);
    const started = Date.now();
    const codes = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        runIngest(
          folder,
          { ...env, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-shard-data-")) },
          workers > 1 ? `${i + 1}/${workers}` : undefined,
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    if (codes.some((code) => code !== 0)) throw new Error(`an ingest process failed: exit codes ${codes.join(", ")}`);
    await fetch(`${urls[0]}/${index}/_refresh`, { method: "POST" });
    const { count } = (await (await fetch(`${urls[0]}/${index}/_count`)).json()) as { count: number };
    if (count !== photos) throw new Error(`${workers} processes indexed ${count} of ${photos} photos`);
    rows.push({ workers, photosPerS: round(photos / seconds, 1), loadAverage: round(os.loadavg()[0]!, 1) });
    await fetch(`${urls[0]}/${index}`, { method: "DELETE" });
  }
  fs.rmSync(folder, { recursive: true, force: true });
  return { photos, model: model.name, cores: os.cpus().length, modelOnlyPerS: modelOnly, rows };
}

export const CLUSTER_PARTS = ["migrate", "ingest", "failover"] as const;
export type ClusterPart = (typeof CLUSTER_PARTS)[number];

export interface ClusterResult {
  version: string;
  nodes: number;
  scale: boolean;
  /** When each part was measured (parts not run this time keep an earlier run's figures). */
  measured: Partial<Record<ClusterPart, string>>;
  migrate?: Awaited<ReturnType<typeof migrateRate>>;
  ingest?: Awaited<ReturnType<typeof shardedIngest>>;
  failover?: Awaited<ReturnType<typeof failover>>;
}

export async function clusterBench(options: {
  scale: boolean;
  log: Log;
  version?: string;
  parts?: readonly ClusterPart[];
  basePort?: number;
}): Promise<ClusterResult> {
  const scale = options.scale ? 10 : 1;
  const parts = options.parts ?? CLUSTER_PARTS;
  options.log(`starting a 3-node cluster${options.basePort ? ` on ports ${options.basePort}-${options.basePort + 5}` : ""}`);
  const cluster = await startNodes({ version: options.version, heap: options.scale ? "2g" : "768m", basePort: options.basePort });
  const now = () => new Date().toISOString();
  const result: ClusterResult = { version: cluster.version, nodes: 3, scale: options.scale, measured: {} };
  try {
    if (parts.includes("migrate")) {
      result.migrate = await migrateRate(cluster.urls, scale, options.log);
      result.measured.migrate = now();
    }
    if (parts.includes("ingest")) {
      result.ingest = await shardedIngest(cluster.urls, scale, options.log);
      result.measured.ingest = now();
    }
    // Last: it kills a node.
    if (parts.includes("failover")) {
      result.failover = await failover(cluster, scale, options.log);
      result.measured.failover = now();
    }
    return result;
  } finally {
    await cluster.stop();
  }
}

export const CLUSTER_HEADING = "## Outgrowing one machine: a node lost, a library moved, ingest in shards (issue 17)";

const en = (n: number) => n.toLocaleString("en");

function migrateLines(m: NonNullable<ClusterResult["migrate"]>, when: string): string[] {
  return [
    `**Migrate** embedded → Elasticsearch (${when}; load average ${m.loadAverage.join(" → ")}), ${en(m.photos)} synthetic photos, requests of ${en(m.batch)} photos, ${m.concurrency} in flight, index unrefreshed and without replica during the copy:`,
    "",
    "| what | photos/s |",
    "| --- | --- |",
    `| **\`lib/migrate\`**: SQLite pages → bulk → settings restored → verified | **${en(m.migratePerS)}** |`,
    `| baseline: the same documents bulk-indexed from memory by the client's bulk helper (same requests, settings, concurrency) | ${en(m.bulkFromMemoryPerS)} |`,
    `| the same into \`int8_flat\` (no HNSW graph built): the copy itself | ${en(m.withoutGraphPerS)} |`,
    `| the source side alone: SQLite pages read and serialized to bulk JSON, no network (${m.sourceScanS} s reading, ${m.sourceJsonS} s JSON; ${en(m.bytesPerPhoto)} bytes a photo) | ${en(m.sourceAlonePerS)} |`,
    "",
    `Verified: ${m.verified} (counts and 20 self-queries); largest difference between a copied vector and its source over 200 sampled photos: ${m.maxVectorDifference} (nothing re-embedded: ${m.reEmbedded} model runs). The replica, restored after the copy, was copied to the other node in ${m.replicaCopyS} s.`,
    "",
  ];
}

function ingestLines(i: NonNullable<ClusterResult["ingest"]>, when: string): string[] {
  return [
    `**Ingest in shards** (${when}): ${i.photos} Flickr photos, ${i.model}, ${i.cores} cores, one index; \`npm run ingest -- --shard i/n\` processes at once. Baseline: the same model alone on the same decoded photos in one process: **${i.modelOnlyPerS} photos/s**.`,
    "",
    "| processes | photos/s | ÷ model alone | load average after |",
    "| --- | --- | --- | --- |",
    ...i.rows.map((row) => `| ${row.workers} | ${row.photosPerS} | ${round(row.photosPerS / i.modelOnlyPerS, 2)} | ${row.loadAverage} |`),
    "",
  ];
}

function failoverLines(f: NonNullable<ClusterResult["failover"]>, when: string): string[] {
  return [
    `**Failover** (${when}; load average ${f.loadAverage}): ${en(f.photos)} photos, 4 clients, k = 10; ${f.killed}, holding the primary, SIGKILLed; green again after ${f.recoveryS} s:`,
    "",
    "| window | searches | errors | p50 ms | p99 ms |",
    "| --- | --- | --- | --- | --- |",
    `| no kill (baseline) | ${f.baseline.searches} | ${f.baseline.errors} | ${f.baseline.p50Ms} | ${f.baseline.p99Ms} |`,
    `| node killed, until green | ${f.failover.searches} | ${f.failover.errors} | ${f.failover.p50Ms} | ${f.failover.p99Ms} |`,
    "",
  ];
}

/** The section for docs/benchmarks.md, kept apart from the other sections (spliced in place). */
export function clusterSection(r: ClusterResult, note: string, analysis: string): string[] {
  const when = (part: ClusterPart) => (r.measured[part] ? `${r.measured[part]!.slice(0, 16).replace("T", " ")} UTC` : "not measured");
  return [
    CLUSTER_HEADING,
    "",
    note,
    "",
    `Elasticsearch ${r.version}, ${r.nodes} nodes on this machine (one process each), the app's index (1 shard, \`auto_expand_replicas: 0-1\`, so 1 replica).`,
    "",
    ...(r.migrate ? migrateLines(r.migrate, when("migrate")) : ["**Migrate**: not measured yet.", ""]),
    ...(r.ingest ? ingestLines(r.ingest, when("ingest")) : ["**Ingest in shards**: not measured yet.", ""]),
    ...(r.failover ? failoverLines(r.failover, when("failover")) : ["**Failover**: not measured yet.", ""]),
    CLUSTER_ANALYSIS_MARK,
    analysis.trimEnd(),
    "",
    "",
  ];
}

/** Below this line the section is written by hand and kept by every run. */
export const CLUSTER_ANALYSIS_MARK = "<!-- cluster analysis: written by hand, kept by npm run bench:cluster -->";

/** The hand-written analysis of the current section, if any. */
export function clusterAnalysis(doc: string): string {
  const start = doc.indexOf(CLUSTER_HEADING);
  if (start < 0) return "";
  const next = doc.indexOf("\n## ", start + CLUSTER_HEADING.length);
  const section = next >= 0 ? doc.slice(start, next + 1) : doc.slice(start);
  const mark = section.indexOf(CLUSTER_ANALYSIS_MARK);
  return mark >= 0
    ? section
        .slice(mark + CLUSTER_ANALYSIS_MARK.length)
        .replace(/^\n/, "")
        .replace(/\n+$/, "\n")
    : "";
}

/** Replaces section 7 in the document, or puts it before the reproducibility table. */
export function spliceClusterSection(doc: string, lines: string[]): string {
  const section = lines.join("\n");
  const start = doc.indexOf(CLUSTER_HEADING);
  if (start >= 0) {
    const next = doc.indexOf("\n## ", start + CLUSTER_HEADING.length);
    return doc.slice(0, start) + section + (next >= 0 ? doc.slice(next + 1) : "");
  }
  const before = doc.indexOf("## Reproducibility");
  return before >= 0 ? doc.slice(0, before) + section + "\n" + doc.slice(before) : `${doc}\n${section}`;
}
