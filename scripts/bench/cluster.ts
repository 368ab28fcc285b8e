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
import { EmbeddedStore } from "@/lib/store/embedded";
import type { PhotoRecord } from "@/lib/store/types";
import { DATASETS, PROJECT, TEST_MODEL_ENV } from "@/lib/testing";
import { startNodes, type MultiNodeCluster } from "../elasticsearch/multi-node";
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
  const cfg = parseConfig({ ...TEST_MODEL_ENV, ES_HOST: cluster.urls.join(","), ES_INDEX: index, ES_REQUEST_TIMEOUT_MS: "60000" });
  const store = new ElasticsearchStore(cfg.elasticsearch);
  const admin = new Client({ nodes: cluster.urls });
  const count = 10_000 * scale;
  const records = syntheticRecords(count);
  await store.ensureIndex({ modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 });
  for (let i = 0; i < count; i += 1_000) await store.upsert(records.slice(i, i + 1_000));
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
  await admin.cluster.health({ index, wait_for_status: "green", timeout: "600s" });
  recoveryMs = Date.now() - killedAt;
  recovered = true;
  const failoverWindow = await during;
  await admin.close();
  await store.close();
  return { photos: count, killed: `node-${victim}`, recoveryS: Math.round(recoveryMs / 100) / 10, baseline, failover: failoverWindow };
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
  const target = new ElasticsearchStore(parseConfig({ ...TEST_MODEL_ENV, ES_HOST: urls.join(","), ES_INDEX: index }).elasticsearch);
  log(`migrate: ${count} photos embedded → Elasticsearch (${urls.length} nodes)`);
  let started = Date.now();
  const summary = await migrate({ source, target, checkpointFile: path.join(dataDir, "checkpoint.json"), batchSize: 1_000 });
  const migrateS = (Date.now() - started) / 1000;
  // Baseline: the same documents bulk-indexed from memory into an identical index, pages of 1,000, one at a time.
  const client = new Client({ nodes: urls });
  const baselineIndex = `${index}-bulk`;
  await client.indices.create({ index: baselineIndex, ...indexBody(model) });
  log("migrate: baseline, the same documents bulk-indexed from memory");
  started = Date.now();
  for (let i = 0; i < count; i += 1_000) {
    const operations = records.slice(i, i + 1_000).flatMap((r) => [{ index: { _index: baselineIndex, _id: r.id } }, toDocument(r)]);
    await client.bulk({ operations });
  }
  await client.indices.refresh({ index: baselineIndex });
  const bulkS = (Date.now() - started) / 1000;
  await client.indices.delete({ index: [index, baselineIndex] }, { ignore: [404] });
  await client.close();
  await Promise.all([source.close(), target.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    photos: count,
    migratePerS: Math.round(count / migrateS),
    bulkFromMemoryPerS: Math.round(count / bulkS),
    verified: summary.verification?.ok ?? false,
    reEmbedded: 0,
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
  const rows: { workers: number; photosPerS: number }[] = [];
  for (const workers of [1, 2, 4]) {
    const index = `bench-shards-${workers}-${Date.now().toString(36)}`;
    const env = {
      MODEL_DIR: model.MODEL_DIR,
      IMAGE_MODEL: model.IMAGE_MODEL,
      ES_HOST: urls.join(","),
      ES_INDEX: index,
      MULTILINGUAL_MODEL: "off",
    };
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
    rows.push({ workers, photosPerS: Math.round((photos / seconds) * 10) / 10 });
    await fetch(`${urls[0]}/${index}`, { method: "DELETE" });
  }
  fs.rmSync(folder, { recursive: true, force: true });
  return { photos, model: model.name, cores: os.cpus().length, rows };
}

export async function clusterBench(options: { scale: boolean; log: Log; version?: string }) {
  const scale = options.scale ? 10 : 1;
  options.log("starting a 3-node cluster");
  const cluster = await startNodes({ version: options.version, heap: options.scale ? "2g" : "768m" });
  try {
    const migration = await migrateRate(cluster.urls, scale, options.log);
    const ingest = await shardedIngest(cluster.urls, scale, options.log);
    const failure = await failover(cluster, scale, options.log);
    return { version: cluster.version, nodes: 3, scale: options.scale, failover: failure, migrate: migration, ingest };
  } finally {
    await cluster.stop();
  }
}

export const CLUSTER_HEADING = "## Outgrowing one machine: a node lost, a library moved, ingest in shards (issue 17)";

/** The section for docs/benchmarks.md, kept apart from the other sections (spliced in place). */
export function clusterSection(r: Awaited<ReturnType<typeof clusterBench>>, note: string): string[] {
  const f = r.failover;
  return [
    CLUSTER_HEADING,
    "",
    note,
    "",
    `Elasticsearch ${r.version}, ${r.nodes} nodes on this machine (one process each), the app's index (1 shard, \`auto_expand_replicas: 0-1\`, so 1 replica).`,
    "",
    `**Failover** (${f.photos.toLocaleString("en")} photos, 4 clients, k = 10; ${f.killed}, holding the primary, SIGKILLed; green again after ${f.recoveryS} s):`,
    "",
    "| window | searches | errors | p50 ms | p99 ms |",
    "| --- | --- | --- | --- | --- |",
    `| no kill (baseline) | ${f.baseline.searches} | ${f.baseline.errors} | ${f.baseline.p50Ms} | ${f.baseline.p99Ms} |`,
    `| node killed, until green | ${f.failover.searches} | ${f.failover.errors} | ${f.failover.p50Ms} | ${f.failover.p99Ms} |`,
    "",
    `**Migrate** embedded → Elasticsearch, ${r.migrate.photos.toLocaleString("en")} photos: **${r.migrate.migratePerS.toLocaleString("en")} photos/s** through \`lib/migrate\` (verified: ${r.migrate.verified}; ${r.migrate.reEmbedded} embedded), beside ${r.migrate.bulkFromMemoryPerS.toLocaleString("en")} photos/s for the same documents bulk-indexed from memory into the same cluster (the baseline: what the cluster takes).`,
    "",
    `**Ingest in shards** (${r.ingest.photos} Flickr photos, ${r.ingest.model}, ${r.ingest.cores} cores, one index):`,
    "",
    "| processes | photos/s |",
    "| --- | --- |",
    ...r.ingest.rows.map((row) => `| ${row.workers} | ${row.photosPerS} |`),
    "",
  ];
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
