/**
 * Starts the production build for the e2e tests: ingests the test photos into a fresh data folder
 * with the project's test model, then runs the standalone server as `npm start` does (scripts/start.ts) on the given port.
 *   tsx e2e/serve.ts <port> <data dir> [--empty]
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { testModelEnv } from "../lib/testing/test-models";
import { E2E_AUTH_ENV, E2E_OIDC_ENV } from "./auth";

/** The photo e2e/duplicates.spec.ts expects to find at three paths. */
const IDENTICAL_SOURCE = "datasets/coco-mini/images/val2017/000000397133.jpg";

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
  // The library's server also offers single sign-on (e2e/oidc-provider.ts; e2e/oidc.spec.ts).
  ...(empty ? {} : E2E_OIDC_ENV),
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
  // The same bytes as a COCO photo at two more paths: no new photo, two more paths recorded
  // (the duplicates review lists them as identical files).
  const copies = `${path.resolve(dataDir)}-copies`;
  fs.rmSync(copies, { recursive: true, force: true });
  for (const copy of ["trip/beach.jpg", "backup/beach (copy).jpg"]) {
    fs.mkdirSync(path.dirname(path.join(copies, copy)), { recursive: true });
    fs.copyFileSync(path.join(shared, IDENTICAL_SOURCE), path.join(copies, copy));
  }
  ingest(copies);
}
const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
