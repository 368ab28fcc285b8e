/**
 * Scale section: the embedded store at each size. In this process, on the same vectors: the exact
 * fp32 top 10 (the truth), the fp32 onnxruntime scan the store ran before (the same-run baseline),
 * and the store's int8 scan with fp32 rescoring from memory. Then the library is filled through the
 * store and opened in child processes (open-library.ts) for load time, memory and real searches:
 * first from SQLite with the int8 scan of every photo, then from its snapshot building the graph
 * index (build time), then again loading the graph it saved (load time).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { exactKnn as quantizedKnn } from "@/lib/store/embedded/knn";
import { SNAPSHOT_FILE } from "@/lib/store/embedded/matrix-snapshot";
import { VectorMatrix } from "@/lib/store/embedded/vector-matrix";
import { exactKnn as fp32Knn } from "../baseline/fp32-knn";
import { VectorMatrix as Fp32Matrix } from "../baseline/fp32-matrix";
import { round, time } from "../measure";
import { fillEmbeddedStore } from "../server";
import { DIMS } from "../synthetic";
import { cachedCollection } from "./synthetic-cache";

type Log = (message: string) => void;

const recallOf = (found: number[][], exact: number[][]) =>
  round(found.reduce((sum, ids, i) => sum + ids.filter((id) => exact[i]!.includes(id)).length, 0) / (exact.length * 10), 3);

/** Photos per upsert (one transaction) when filling the library: the bulk path a migrate or a large ingest takes. */
const FILL_BATCH = 10_000;

export async function embeddedScale(sizes: number[], modelId: string, log: Log) {
  const rows = [];
  for (const n of sizes) {
    log(`embedded scale: ${n} photos`);
    const { vectors, queries, exact } = cachedCollection(n, 100, log);
    let started = performance.now();
    const inMemory = await scanComparison(vectors, queries, exact, log);
    log(`  in-memory fp32 and int8 scans: ${seconds(started)} s`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
    try {
      log(`embedded scale: filling the library with ${n} photos, ${FILL_BATCH} per transaction`);
      started = performance.now();
      const fill = await fillEmbeddedStore(dataDir, modelId, vectors, {
        batch: FILL_BATCH,
        progress: (done) => log(`  ${done} photos in ${seconds(started)} s`),
      });
      const queriesFile = path.join(dataDir, "queries.f32");
      const flat = new Float32Array(queries.length * DIMS);
      queries.forEach((q, i) => flat.set(q, i * DIMS));
      fs.writeFileSync(queriesFile, Buffer.from(flat.buffer));
      // The first start reads every vector from SQLite (a library from before matrix snapshots, or
      // whose snapshot does not match): the fill's own snapshot is removed for it. It saves a
      // snapshot, which the second start (a server restart) loads instead.
      fs.rmSync(path.join(dataDir, SNAPSHOT_FILE), { force: true });
      log(`embedded scale: opening and searching the library of ${n} in a child process (int8 scan)`);
      const opened = openLibrary(dataDir, queriesFile, "off");
      log(`embedded scale: opening the library of ${n} again, building its graph index`);
      started = performance.now();
      const built = openLibrary(dataDir, queriesFile, "build");
      log(`  graph built and searched in ${seconds(started)} s`);
      log(`embedded scale: opening the library of ${n} again, loading its graph index`);
      const reopened = openLibrary(dataDir, queriesFile, "load");
      rows.push({
        n,
        fillS: round(fill.fillMs / 1000, 1),
        fillBatch: FILL_BATCH,
        diskMb: round(fill.diskBytes / 1048576, 0),
        vectorMb: round((n * DIMS) / 1048576, 0),
        fp32VectorMb: round((n * DIMS * 4) / 1048576, 0),
        openS: opened.openS,
        openFrom: opened.origin,
        reopenS: reopened.openS,
        reopenFrom: reopened.origin,
        rssMb: opened.rssMb,
        reopenRssMb: reopened.rssMb,
        store: { p50: opened.p50, p95: opened.p95, qps8Clients: opened.qps8Clients, recallAt10: recallOf(opened.ids, exact) },
        graph: {
          buildS: built.graph?.seconds,
          builtFrom: built.graph?.origin,
          buildEventLoopP99Ms: built.graph?.eventLoopP99Ms,
          buildEventLoopMaxMs: built.graph?.eventLoopMaxMs,
          buildRssMb: built.graph?.rssMb,
          loadS: reopened.graph?.seconds,
          loadedFrom: reopened.graph?.origin,
          rssMb: reopened.graph?.rssMb,
          rssWithoutGraphMb: reopened.rssMb,
          fileMb: reopened.graph?.fileMb,
          entries: reopened.graph?.entries,
          p50: reopened.p50,
          p95: reopened.p95,
          qps8Clients: reopened.qps8Clients,
          recallAt10: recallOf(reopened.ids, exact),
          afterBuild: { p50: built.p50, p95: built.p95, qps8Clients: built.qps8Clients, recallAt10: recallOf(built.ids, exact) },
          ratioToInt8: round(reopened.p50 / opened.p50, 2),
        },
        ...inMemory,
        ratio: round(inMemory.quantized.p50 / inMemory.fp32.p50, 2),
        loadAverage: os.loadavg().map((x) => round(x, 1)),
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { rows };
}

const seconds = (since: number) => round((performance.now() - since) / 1000, 1);

/** Opens the library in a child process (open-library.ts), so its memory is the store's alone. */
function openLibrary(dataDir: string, queriesFile: string, graph: "off" | "build" | "load") {
  const out = execFileSync(
    "node",
    ["--expose-gc", "--conditions=react-server", "--import", "tsx", "scripts/bench/scale/open-library.ts", dataDir, queriesFile, graph],
    { maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(out.toString().trim().split("\n").pop()!) as {
    origin: string;
    openS: number;
    rssMb: number;
    p50: number;
    p95: number;
    qps8Clients: number;
    ids: number[][];
    graph?: {
      origin?: string;
      seconds?: number;
      entries: number;
      rssMb: number;
      fileMb: number;
      eventLoopP99Ms: number;
      eventLoopMaxMs: number;
    };
  };
}

/** The fp32 scan (before) against the int8 scan with rescoring (now), same vectors, same process. */
async function scanComparison(vectors: Float32Array[], queries: Float32Array[], exact: number[][], log: Log) {
  let started = performance.now();
  const fp32 = new Fp32Matrix(DIMS);
  vectors.forEach((v, i) => fp32.upsert(`p${i}`, v, { folder: "f" }));
  const fp32Found: number[][] = [];
  const fp32Time = await time(queries.length, async (i) => {
    const rows = await fp32Knn(fp32, queries[Math.max(i, 0)]!, 10);
    if (i >= 0) fp32Found.push(rows.map((r) => r.row));
  });
  log(`  fp32 baseline: built and scanned in ${seconds(started)} s`);
  started = performance.now();
  const int8 = new VectorMatrix(DIMS, vectors.length);
  vectors.forEach((v, i) => int8.upsert(`p${i}`, v, { folder: "f" }));
  log(`  int8 matrix: built in ${seconds(started)} s`);
  const options = { exactVectors: (rows: readonly number[]) => rows.map((r) => vectors[r]) };
  const found: number[][] = [];
  const quantized = await time(queries.length, async (i) => {
    const rows = await quantizedKnn(int8, queries[Math.max(i, 0)]!, 10, options);
    if (i >= 0) found.push(rows.map((r) => r.row));
  });
  const concurrent = await time(5, (i) =>
    Promise.all(Array.from({ length: 8 }, (_, j) => quantizedKnn(int8, queries[(Math.max(i, 0) * 8 + j) % queries.length]!, 10, options))),
  );
  return {
    fp32: { ...fp32Time, recallAt10: recallOf(fp32Found, exact) },
    quantized: { ...quantized, recallAt10: recallOf(found, exact), qps8Clients: round(8000 / concurrent.p50, 1) },
  };
}
