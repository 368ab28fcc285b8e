/**
 * npm test [-- <path filter>...]
 * Runs every *.test.ts with Node's test runner against a real Elasticsearch that it starts for the
 * run (scripts/elasticsearch/local-cluster.ts) and stops afterwards: the newest 8.x for every suite,
 * then (on a full run) the newest 9.x for the suites that use the cluster, their Elasticsearch cases only. Then, unless a filter
 * was given or SKIP_E2E=1, builds the app and runs the Playwright e2e suite in Chromium.
 * ES_VERSIONS=8,9 (majors or releases) chooses the versions, ES_VERSION=9.1.0 runs one; ES_TEST_URL
 * uses a running cluster instead of starting one; SKIP_ES=1 runs without Elasticsearch.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startCluster, type LocalCluster } from "./elasticsearch/local-cluster";

const ROOTS = ["lib", "app", "scripts", "components"];
/**
 * Suites that use the test cluster (they read ES_TEST_URL, or run per store kind with esSkip or
 * STORE_KINDS): the ones that run again on every further version, with their embedded-store cases
 * skipped (ES_TEST_ONLY=1), since those do not depend on the version.
 */
const USES_CLUSTER = /\b(ES_TEST_URL|esSkip|STORE_KINDS)\b/;

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** Which Elasticsearch versions to run, each with the test files it runs. */
function plan(files: string[], filtered: boolean): { version?: string; files: string[] }[] {
  if (process.env.ES_TEST_URL || process.env.SKIP_ES === "1") return [{ files }];
  const requested = process.env.ES_VERSIONS ?? process.env.ES_VERSION ?? (filtered ? "8" : "8,9");
  const versions = requested
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  const esFiles = files.filter((file) => USES_CLUSTER.test(fs.readFileSync(file, "utf8")));
  return versions.map((version, i) => ({ version, files: i === 0 ? files : esFiles })).filter((run) => run.files.length > 0);
}

async function runSuites(files: string[], version: string | undefined, esOnly: boolean): Promise<number> {
  let cluster: LocalCluster | undefined;
  let esUrl = process.env.ES_TEST_URL;
  if (version) {
    const started = Date.now();
    cluster = await startCluster({ version, heap: "1g" });
    esUrl = cluster.url;
    console.log(
      `# Elasticsearch ${cluster.version} at ${esUrl} (started in ${((Date.now() - started) / 1000).toFixed(1)} s): ${files.length} test files`,
    );
  }
  try {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files],
      {
        stdio: "inherit",
        // ES_TEST_VERSION: suites that start a node of their own (security, TLS) use the same version.
        env: {
          ...process.env,
          ES_TEST_URL: esUrl ?? "",
          ES_TEST_VERSION: cluster?.version ?? "",
          ES_TEST_ONLY: esOnly ? "1" : "",
          NODE_ENV: "test",
        },
      },
    );
    return await new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    await cluster?.stop();
  }
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
  let failed = 0;
  for (const [i, run] of plan(files, filters.length > 0).entries()) {
    const code = await runSuites(run.files, run.version, i > 0);
    if (code !== 0) {
      console.error(`# tests failed${run.version ? ` on Elasticsearch ${run.version}` : ""}`);
      failed = code;
    }
  }
  return failed;
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
