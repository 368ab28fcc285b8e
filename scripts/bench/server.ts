/**
 * The production server as users run it (`npm start`: the standalone server of the last build), on a library filled with
 * a synthetic collection, for the API load and browser sections.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EmbeddedStore } from "@/lib/store/embedded";
import { freePort } from "../elasticsearch/local-cluster";
import { DIMS, syntheticPhoto } from "./synthetic";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Writes the collection into an embedded store at `dataDir` through its upsert (one transaction per
 * `batch` photos, as ingest or migrate would write them, without thumbnails); returns the time and
 * the bytes on disk. `progress` hears every 100,000 photos.
 */
export async function fillEmbeddedStore(
  dataDir: string,
  modelId: string,
  vectors: Float32Array[],
  options: { batch?: number; progress?: (done: number) => void } = {},
): Promise<{ fillMs: number; diskBytes: number }> {
  const batch = options.batch ?? 1000;
  const store = new EmbeddedStore(dataDir);
  await store.ensureIndex({ modelId, dims: DIMS });
  const start = performance.now();
  for (let i = 0; i < vectors.length; i += batch) {
    await store.upsert(vectors.slice(i, i + batch).map((v, j) => syntheticPhoto(i + j, v)));
    if (Math.floor((i + batch) / 100_000) > Math.floor(i / 100_000)) options.progress?.(Math.min(i + batch, vectors.length));
  }
  await store.refresh();
  const fillMs = performance.now() - start;
  await store.close();
  const diskBytes = fs
    .readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
  return { fillMs, diskBytes };
}

/**
 * Builds (or loads) the library's graph index and saves it beside the database, as a server's
 * first searches would in the background, so a load test measures searches with the graph ready
 * from its start (the server loads the saved graph on its first search). Returns whether the
 * library is large enough to have one.
 */
export async function prepareGraphIndex(dataDir: string): Promise<boolean> {
  const store = new EmbeddedStore(dataDir);
  try {
    return await store.graphReady();
  } finally {
    await store.close();
  }
}

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const errors: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => errors.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await untilAnswering(child, `${url}/api/health`, { output: () => errors.join("").slice(-2000) });
  return { url, stop: () => stopChild(child) };
}

/**
 * Waits until a server started as `child` answers `probeUrl` with a 2xx status, asking every 300 ms;
 * throws when the child exits first (with `output`, what it printed) or after `timeoutMs`.
 */
export async function untilAnswering(
  child: ChildProcess,
  probeUrl: string,
  { timeoutMs = 120_000, name = "the server", output = () => "" }: { timeoutMs?: number; name?: string; output?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}${output() ? `: ${output()}` : ""}`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${timeoutMs / 1000} s`);
    try {
      if ((await fetch(probeUrl)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Ends a server started as `child` (SIGTERM) and waits for it to exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
