/**
 * npm run bench [-- --quick] [-- --sizes 10000,100000] [-- --no-es]
 * Measures the app as its users meet it, each figure beside a baseline measured in the same run
 * (absolute times on shared machines are noisy; ratios hold). Writes bench/results/<time>.json and
 * docs/benchmarks.md. Sections so far: 1 vector search, 3 query embedding, 5 retrieval quality.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { decodeImage } from "@/lib/ingest/image";
import { exactKnn } from "@/lib/store/embedded/exact-knn";
import { VectorMatrix } from "@/lib/store/embedded/vector-matrix";
import { COCO, randomUnitVector, seededRandom } from "@/lib/testing";
import { startCluster } from "../elasticsearch/local-cluster";
import { jsLoopTopK, round, stat, time } from "./measure";
import { markdown } from "./report";

const DIMS = 512;
const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, sizes: { type: "string" }, "no-es": { type: "boolean", default: false } } });
const quick = values.quick!;
const sizes = (values.sizes ?? "10000,100000").split(",").map(Number);
const FULL_MODEL_DIR = path.resolve(".cache/models");
const FULL_MODEL = "photo-search/clip-vit-b32-random";

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Memory-bandwidth floor: the time to read the matrix once, from a copy of it (read + write = 2x bytes). */
function bandwidthFloorMs(bytes: number): { gbPerS: number; floorMs: number } {
  const source = new Float32Array(bytes / 4).fill(1);
  const target = new Float32Array(bytes / 4);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    target.set(source);
    samples.push(performance.now() - start);
  }
  const copyMs = stat(samples).p50;
  const gbPerS = (2 * bytes) / (copyMs / 1000) / 1e9;
  return { gbPerS: round(gbPerS, 1), floorMs: round(bytes / (gbPerS * 1e9) * 1000) };
}

/**
 * Synthetic vectors shaped like image embeddings rather than uniform noise: points around 1,000
 * random centres (a photo collection has themes), so near neighbours are really nearer. Uniform
 * random 512-dim vectors are the worst case for any approximate index: every point is about as far
 * as every other (top-10 cosine ~0.17 against a spread of ~0.04), and int8 quantization noise alone
 * reorders them.
 */
function clusteredVectors(random: () => number, count: number, centres: Float32Array[]): Float32Array[] {
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random() * centres.length)];
    const noise = randomUnitVector(random, DIMS);
    const v = new Float32Array(DIMS);
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      v[d] = centre[d] + 0.8 * noise[d];
      norm += v[d] * v[d];
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) v[d] /= norm;
    return v;
  });
}

async function vectorSearch(esUrl: string | undefined) {
  const results = [];
  for (const n of sizes) {
    log(`vector search at ${n}`);
    const random = seededRandom(n);
    const centres = Array.from({ length: 1000 }, () => randomUnitVector(random, DIMS));
    const rows = clusteredVectors(random, n, centres);
    const queries = clusteredVectors(random, quick ? 20 : 50, centres);
    const matrix = new VectorMatrix(DIMS);
    const buildStart = performance.now();
    rows.forEach((v, i) => matrix.upsert(`p${i}`, v, { folder: "f" }));
    const buildMs = performance.now() - buildStart;
    const floor = bandwidthFloorMs(n * DIMS * 4);
    const embedded = await time(queries.length, (i) => exactKnn(matrix, queries[Math.max(i, 0)], 10));
    const jsLoop = await time(Math.min(5, queries.length), (i) => jsLoopTopK(rows, queries[Math.max(i, 0)], 10));
    const exact = await Promise.all(queries.map(async (q) => (await exactKnn(matrix, q, 10)).map((r) => matrix.idAt(r.row))));
    const row: Record<string, unknown> = {
      n,
      bandwidth: floor,
      embedded: { ...embedded, qps: round(1000 / embedded.p50, 1), buildMs: round(buildMs, 0), memoryMbPerMillion: round((DIMS * 4 * 1e6) / 1048576, 0), vsFloor: round(embedded.p50 / floor.floorMs, 2) },
      jsLoop: { ...jsLoop, vsEmbedded: round(jsLoop.p50 / embedded.p50, 1) },
    };
    // The HNSW build dominates the run time (minutes at 100k on 2 cores): quick runs build 10k only.
    if (esUrl && (!quick || n <= 10_000)) row.elasticsearch = await elasticsearch(esUrl, rows, queries, exact);
    results.push(row);
  }
  return results;
}

async function elasticsearch(url: string, rows: Float32Array[], queries: Float32Array[], exact: string[][]) {
  const client = new Client({ node: url });
  const index = `bench-${rows.length}`;
  await client.indices.delete({ index }, { ignore: [404] });
  await client.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "-1" },
    mappings: { properties: { v: { type: "dense_vector", dims: DIMS, index: true, similarity: "cosine", index_options: { type: "int8_hnsw" } } } },
  });
  const start = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    const operations = rows.slice(i, i + 1000).flatMap((v, j) => [{ index: { _index: index, _id: `p${i + j}` } }, { v: Array.from(v, (x) => round(x, 6)) }]);
    const response = await client.bulk({ operations });
    if (response.errors) throw new Error("bulk indexing failed");
  }
  await client.indices.refresh({ index });
  await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 3_600_000 });
  const buildMs = performance.now() - start;
  const stats = await client.indices.stats({ index, metric: "store" });
  const diskBytes = stats._all.primaries?.store?.size_in_bytes ?? 0;
  const out: Record<string, unknown> = { buildMs: round(buildMs, 0), diskMbPerMillion: round(((diskBytes / rows.length) * 1e6) / 1048576, 0) };
  // As the app searches: 8.18+ rescores the top candidates with the float vectors (oversample 3).
  for (const [name, numCandidates, rescore] of [["nc50", 50, false], ["nc200", 200, false], ["nc100Rescored", 100, true]] as const) {
    let hits = 0;
    const search = (q: Float32Array) =>
      client.search({
        index,
        knn: { field: "v", query_vector: Array.from(q), k: 10, num_candidates: numCandidates, ...(rescore ? { rescore_vector: { oversample: 3 } } : {}) },
        size: 10,
        _source: false,
      });
    const latency = await time(queries.length, async (i) => {
      const response = await search(queries[Math.max(i, 0)]);
      if (i >= 0) hits += response.hits.hits.filter((h) => exact[i].includes(h._id!)).length;
    });
    out[name] = { ...latency, recallAt10: round(hits / (queries.length * 10), 3) };
  }
  await client.indices.delete({ index });
  await client.close();
  return out;
}

async function queryEmbedding() {
  if (!fs.existsSync(path.join(FULL_MODEL_DIR, FULL_MODEL, "onnx", "vision_model.onnx"))) {
    return { skipped: `no full-size model in ${FULL_MODEL_DIR}; run python3 scripts/test-model/generate_clip.py --size base --tokenizer-from ../shared/models/Xenova/clip-vit-base-patch32 --out ${path.join(FULL_MODEL_DIR, FULL_MODEL)}` };
  }
  const image = fs.readFileSync(path.join(COCO, "images/val2017", fs.readdirSync(path.join(COCO, "images/val2017"))[0]));
  const decoded = await decodeImage(image, { maxPixels: 1e8, thumbnailSize: 64 });
  const texts = ["a mountain covered in snow", "a red bus on a city street", "two dogs playing on a beach", "一只猫", "people at a market"];
  const results: Record<string, unknown> = {};
  for (const dtype of ["fp32", "q8"]) {
    const { text, image: vision } = createServerEmbedders(parseConfig({ MODEL_DIR: FULL_MODEL_DIR, IMAGE_MODEL: FULL_MODEL, TEXT_DTYPE: dtype, IMAGE_DTYPE: dtype }));
    let start = performance.now();
    await text.embedTexts(["cold start"]);
    const textCold = performance.now() - start;
    const textWarm = await time(quick ? 20 : 50, (i) => text.embedTexts([texts[Math.abs(i) % texts.length]]));
    start = performance.now();
    await vision.embedImages([decoded.embedInput]);
    const imageCold = performance.now() - start;
    const imageWarm = await time(quick ? 5 : 15, () => vision.embedImages([decoded.embedInput]));
    results[dtype] = { text: { coldMs: round(textCold, 0), warm: textWarm }, image: { coldMs: round(imageCold, 0), warm: imageWarm } };
  }
  return results;
}

function retrievalQuality() {
  const real = path.resolve("../shared/models/Xenova/clip-vit-base-patch32/onnx");
  return fs.existsSync(real)
    ? { skipped: "real weights present, but the quality section is not written yet" }
    : { skipped: `real CLIP weights are absent (${real} has no ONNX files): zero-shot and recall figures cannot be measured here` };
}

async function main() {
  const started = new Date();
  const cluster = values["no-es"] ? undefined : await startCluster({ heap: "2g" });
  try {
    const run = {
      started: started.toISOString(),
      quick,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 1024 ** 3, 1), node: process.version, elasticsearch: cluster?.version },
      vectorSearch: await vectorSearch(cluster?.url),
      queryEmbedding: await queryEmbedding(),
      retrievalQuality: retrievalQuality(),
      durationS: 0,
    };
    run.durationS = round((Date.now() - started.getTime()) / 1000, 0);
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `${started.toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(run, null, 2));
    fs.writeFileSync("docs/benchmarks.md", markdown(run));
    console.log(JSON.stringify(run, null, 2));
    log(`wrote ${file} and docs/benchmarks.md in ${run.durationS} s`);
  } finally {
    await cluster?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
