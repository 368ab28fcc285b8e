/**
 * Where a loaded server's CPU goes: the production server (the standalone build) on an embedded
 * library of 100,000 synthetic photos, under the same load as section 4 and the text-load table
 * (`POST /api/search`, k = 30, distinct texts or ready-made vectors), with `--cpu-prof`. Prints
 * req/s and p50/p95, the server's CPU (all its threads, from /proc) beside the load generator's
 * own, and the main thread's self time by area and by function (cpu-profile.ts).
 *
 *   npx tsx --conditions=react-server scripts/bench/profile-load.ts --kind text|vector
 *     [--batching on|off] [--thread on|off] [--rescore on|off] [--connections 8] [--duration 15] [--port 5620] [--data <dir>]
 *     [--server .next/standalone] [--no-profile] [--no-graph]
 *
 * `--data` keeps the filled library between runs (filled once, 100,000 photos in about 15 s). Its
 * graph index is built first and saved, so searches use it from the start (`--no-graph`: leave it
 * to the server, which scans every photo until it has built one).
 * Run `npm run build` first. Nothing here is a test; the figures go to docs/benchmarks.md by hand.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { searchLoad, WORDS } from "./api-load";
import { type CpuProfile, formatSummary, summarizeProfile } from "./cpu-profile";
import { round } from "./measure";
import { fillEmbeddedStore, prepareGraphIndex, untilAnswering } from "./server";
import { syntheticCollection } from "./synthetic";

const PHOTOS = 100_000;
const MODEL_DIR = path.resolve(".cache/models");
const MODEL_ID = "photo-search/clip-vit-b32-random";

const { values } = parseArgs({
  options: {
    kind: { type: "string", default: "text" },
    batching: { type: "string", default: "on" },
    thread: { type: "string", default: "on" },
    /** The embedded store's rescoring thread (RESCORE_THREAD_MIN_PHOTOS): on (its default) or off. */
    rescore: { type: "string", default: "on" },
    server: { type: "string", default: ".next/standalone" },
    connections: { type: "string", default: "8" },
    duration: { type: "string", default: "15" },
    port: { type: "string", default: "5620" },
    data: { type: "string" },
    "no-profile": { type: "boolean", default: false },
    "no-graph": { type: "boolean", default: false },
    top: { type: "string", default: "30" },
  },
});

const dataDir = path.resolve(values.data ?? fs.mkdtempSync(path.join(os.tmpdir(), "profile-load-")));
if (!fs.existsSync(path.join(dataDir, "library.db"))) {
  console.log(`filling ${PHOTOS} photos into ${dataDir}`);
  await fillEmbeddedStore(dataDir, MODEL_ID, syntheticCollection(PHOTOS, 0).vectors);
}
if (!values["no-graph"]) await prepareGraphIndex(dataDir);
const queries = syntheticCollection(PHOTOS, 200).queries;
const textModelId = createServerEmbedders(parseConfig({ MODEL_DIR, IMAGE_MODEL: MODEL_ID })).text.textModelId;

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "profile-load-prof-"));
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;
const server = spawn(
  process.execPath,
  [...(values["no-profile"] ? [] : ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]), path.resolve(values.server!, "server.js")],
  {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      BASE_DIR: process.cwd(),
      MODEL_DIR,
      IMAGE_MODEL: MODEL_ID,
      STORE: "embedded",
      DATA_DIR: dataDir,
      TEXT_DTYPE: "q8",
      QUERY_BATCHING: values.batching!,
      TEXT_ENCODER_THREAD: values.thread!,
      ...(values.rescore === "off" && { RESCORE_THREAD_MIN_PHOTOS: "off" }),
      AUTH: "off",
      SEARCHES_PER_MINUTE: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  },
);
const exited = new Promise((resolve) => server.once("exit", resolve));
let loadMs = Infinity;

try {
  await untilAnswering(server, `${url}/api/health`);
  const body = (i: number) =>
    values.kind === "vector"
      ? { vector: { model: textModelId, values: Array.from(queries[i % queries.length]!) }, k: 30, cutoff: false }
      : { q: `${WORDS[i % WORDS.length]} ${i}`, k: 30, cutoff: false };
  // Warm: the model loads and the matrix opens before the measured run.
  for (let i = 0; i < 5; i++) await post(body(100_000 + i));
  await new Promise((resolve) => setTimeout(resolve, 3000)); // the saved graph index loads in the background
  const serverBefore = processCpuMs(server.pid!);
  const selfBefore = process.cpuUsage();
  const wallStart = performance.now();
  const result = await load(Number(values.connections), Number(values.duration), body);
  const wallMs = performance.now() - wallStart;
  loadMs = wallMs;
  const self = process.cpuUsage(selfBefore);
  const serverMs = processCpuMs(server.pid!) - serverBefore;
  const generatorMs = (self.user + self.system) / 1000;
  console.log(
    JSON.stringify({
      kind: values.kind,
      batching: values.batching,
      thread: values.thread,
      rescore: values.rescore,
      connections: Number(values.connections),
      ...result,
      wallS: round(wallMs / 1000, 1),
      serverCpuMsPerRequest: round(serverMs / result.requests, 1),
      serverCores: round(serverMs / wallMs, 2),
      generatorCores: round(generatorMs / wallMs, 2),
      generatorCpuMsPerRequest: round(generatorMs / result.requests, 2),
      load: os.loadavg().map((l) => round(l, 1)),
    }),
  );
} finally {
  server.kill("SIGINT");
  await exited;
}

if (!values["no-profile"]) {
  const profiles = fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"));
  for (const file of profiles) {
    const full = path.join(profileDir, file);
    console.log(`\n${full}`);
    console.log(formatSummary(summarizeProfile(JSON.parse(fs.readFileSync(full, "utf8")) as CpuProfile, loadMs), Number(values.top)));
  }
}

async function post(json: object) {
  const response = await fetch(`${url}/api/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  const answer = (await response.json()) as { hits?: unknown[] };
  if (!response.ok || answer.hits?.length !== 30)
    throw new Error(`search failed: ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
}

/** utime + stime of a process, every thread, in ms (from /proc: Linux only). */
function processCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function load(connections: number, durationS: number, body: (i: number) => object) {
  const { requests, rps, p50, p95 } = await searchLoad({ url, durationS }, connections, body);
  return { requests, rps, p50, p95 };
}
