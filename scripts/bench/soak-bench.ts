/**
 * Section 7: the production server on COCO-mini (the project's test model, as e2e/serve.ts), sign-in
 * on with an API token for the uploads; searches alone for a baseline, then searches with uploads
 * for `seconds`; then the library's count and the server's memory after a rest.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EmbeddedStore } from "@/lib/store/embedded";
import { DATASETS, tempDir, TEST_MODEL_ENV } from "@/lib/testing";
import { startServer } from "./server";
import { rssMb, runSoak, type SoakResult } from "./soak";

const SEARCHERS = 6;
const IDLE_SECONDS = 15;

export interface SoakBench {
  library: number;
  libraryAfter: number;
  searchers: number;
  baseline: SoakResult;
  soak: SoakResult;
  rssIdleMb: number;
  idleSeconds: number;
}

export async function soakBench(options: { seconds: number; log: (message: string) => void }): Promise<SoakBench> {
  const dataDir = tempDir("photo-search-soak-");
  const token = randomBytes(24).toString("hex");
  const env = {
    ...TEST_MODEL_ENV,
    DATA_DIR: dataDir,
    STORE: "embedded",
    AUTH_SECRET: randomBytes(32).toString("base64"),
    API_TOKENS: `bench:${token}`,
    PUBLIC_READ: "true",
    UPLOADS_PER_MINUTE: "60000",
    SEARCHES_PER_MINUTE: "600000",
  };
  const coco = path.join(DATASETS, "coco-mini");
  options.log("soak: ingesting COCO-mini with the test model");
  execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/ingest.ts", path.join(coco, "images"), "--json", "--metadata", path.join(coco, "captions.json")],
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] },
  );
  const count = async () => {
    const store = new EmbeddedStore(dataDir);
    try {
      return await store.count();
    } finally {
      await store.close();
    }
  };
  const library = await count();
  const flickr = path.join(DATASETS, "flickr8k-1k", "images");
  const files = fs.readdirSync(flickr).map((name) => path.join(flickr, name));
  const server = await startServer(env);
  try {
    const baselineSeconds = Math.max(10, Math.min(60, Math.round(options.seconds / 5)));
    options.log(`soak: baseline, ${SEARCHERS} searching clients for ${baselineSeconds} s`);
    const baseline = await runSoak({ base: server.url, seconds: baselineSeconds, searchers: SEARCHERS });
    options.log(`soak: searches and an upload every 200 ms for ${options.seconds} s`);
    const soak = await runSoak({ base: server.url, seconds: options.seconds, searchers: SEARCHERS, uploads: { files, token } });
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const rssIdleMb = await rssMb(server.url);
    await server.stop();
    const libraryAfter = await count();
    options.log(`soak: ${soak.requests} requests, ${soak.failures.length} errors, ${library} -> ${libraryAfter} photos`);
    return { library, libraryAfter, searchers: SEARCHERS, baseline, soak, rssIdleMb, idleSeconds: IDLE_SECONDS };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
