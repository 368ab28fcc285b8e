/**
 * npm test [-- <path filter>...]
 * Runs every *.test.ts with Node's test runner against a real Elasticsearch 8.x that it starts
 * for the run (scripts/elasticsearch/local-cluster.ts) and stops afterwards; then, unless a filter
 * was given or SKIP_E2E=1, builds the app and runs the Playwright e2e suite in Chromium.
 * Set ES_TEST_URL to use a running cluster instead of starting one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startCluster, type LocalCluster } from "./elasticsearch/local-cluster";

const ROOTS = ["lib", "app", "scripts", "components"];

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = ROOTS.flatMap(findTests)
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .sort();
  if (files.length === 0) {
    console.error(`no test files match ${filters.join(" ")}`);
    return 1;
  }
  let cluster: LocalCluster | undefined;
  let esUrl = process.env.ES_TEST_URL;
  if (!esUrl && process.env.SKIP_ES !== "1") {
    const started = Date.now();
    cluster = await startCluster({ heap: "1g" });
    esUrl = cluster.url;
    console.log(`# Elasticsearch ${cluster.version} at ${esUrl} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  try {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files],
      { stdio: "inherit", env: { ...process.env, ES_TEST_URL: esUrl ?? "", NODE_ENV: "test" } },
    );
    return await new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    await cluster?.stop();
  }
}

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function e2e(): Promise<number> {
  // Build with marker credentials in the environment: e2e/secrets.spec.ts checks none reaches the client bundle.
  const marker = `leak-marker-${Date.now().toString(36)}`;
  process.env.SECRET_MARKER = marker;
  const build = await run("npm", ["run", "build"], { ES_PWD: `${marker}-pwd`, ES_API_KEY: `${marker}-key`, ES_USER: "elastic" });
  if (build !== 0) return build;
  return run("npx", ["playwright", "test"]);
}

async function all(): Promise<number> {
  const code = await main();
  if (code !== 0 || process.argv.length > 2 || process.env.SKIP_E2E === "1") return code;
  return e2e();
}

all().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
