/**
 * Starts the production build for the e2e tests: ingests the test photos into a fresh data folder
 * with the project's test model, then runs the standalone server as `npm start` does (scripts/start.ts) on the given port.
 *   tsx e2e/serve.ts <port> <data dir> [--empty]
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { testModelEnv } from "../lib/testing/test-models";
import { E2E_AUTH_ENV } from "./auth";

const [port, dataDir] = process.argv.slice(2);
if (!port || !dataDir) throw new Error("usage: tsx e2e/serve.ts <port> <data dir> [--empty]");
const empty = process.argv.includes("--empty");
const shared = path.resolve(process.env.SHARED_DIR ?? "../shared");
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  STORE: "embedded",
  // The generated test models in place of the real ones (fixtures/models/test.env).
  ...testModelEnv(),
  PORT: port,
  // The soak test uploads faster than the default limit allows.
  UPLOADS_PER_MINUTE: "6000",
  SEARCHES_PER_MINUTE: "60000",
  // The production server refuses to start without an access decision: sign-in for writes, public reads.
  ...E2E_AUTH_ENV,
};

fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
if (!empty) {
  const ingest = (folder: string, ...args: string[]) =>
    execFileSync(process.execPath, ["--import", "tsx", "scripts/ingest.ts", folder, "--json", ...args], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  ingest(path.join(shared, "datasets/coco-mini/images"), "--metadata", path.join(shared, "datasets/coco-mini/captions.json"));
  ingest(path.join(shared, "datasets/exif-gps-samples/images"));
}
const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
