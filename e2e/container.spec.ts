/**
 * The container, without a Docker engine (none runs here): the image's file system is assembled
 * from the standalone build exactly as the Dockerfile's COPY steps do, and the server is started as
 * its CMD does (`node server.js` in /app with the image's environment, port 5001), as an
 * unprivileged user when the tests run as root.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { testModelEnv } from "../lib/testing/test-models";
import { E2E_AUTH_ENV, E2E_TOKEN } from "./auth";

// 5001 as in the image; CONTAINER_E2E_PORT lets parallel runs on one machine avoid each other.
const PORT = Number(process.env.CONTAINER_E2E_PORT ?? 5001);
const BASE = `http://127.0.0.1:${PORT}`;
const USER = "photosearch-app";
const SHARED = path.resolve(process.env.SHARED_DIR ?? "../shared");
const asRoot = process.getuid?.() === 0;

interface Server {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

let app: string;
let dataDir: string;

/** The Dockerfile's runtime stage: standalone server, static assets and public folder in /app. */
function assembleImage(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-image-"));
  fs.cpSync(".next/standalone", root, { recursive: true, verbatimSymlinks: true });
  fs.cpSync(".next/static", path.join(root, ".next/static"), { recursive: true });
  fs.cpSync("public", path.join(root, "public"), { recursive: true });
  return root;
}

function ensureUser(): void {
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER]);
  }
}

function start(extraEnv: Record<string, string>): Server {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    // The image's ENV:
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(PORT),
    HOSTNAME: "0.0.0.0",
    DATA_DIR: dataDir,
    MODEL_CACHE_DIR: path.join(dataDir, "models"),
    // What `docker run -e` adds for this test: the project's test model instead of the hub's.
    ...testModelEnv(),
    // The access decision production insists on (README, Security): sign-in for writes, public reads.
    ...E2E_AUTH_ENV,
    ...extraEnv,
  };
  for (const [key, value] of Object.entries(env)) if (value === "") delete env[key]; // "" unsets a variable
  // As root, run as the unprivileged user (the image's USER 10001); the child is the server itself.
  const identity = asRoot ? { uid: idOf("-u"), gid: idOf("-g") } : {};
  const child = spawn(process.execPath, ["server.js"], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"], ...identity });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, logs, exited };
}

function idOf(flag: "-u" | "-g"): number {
  return Number(execFileSync("id", [flag, USER]).toString().trim());
}

function signal(server: Server, name: NodeJS.Signals): void {
  if (server.child.exitCode === null) server.child.kill(name);
}

async function stop(server: Server): Promise<void> {
  signal(server, "SIGTERM");
  const timer = setTimeout(() => signal(server, "SIGKILL"), 15_000);
  await server.exited;
  clearTimeout(timer);
}

async function waitForHealth(server: Server): Promise<void> {
  await expect
    .poll(
      async () => {
        if (server.child.exitCode !== null) throw new Error(`server exited with ${server.child.exitCode}:\n${server.logs.join("\n")}`);
        return fetch(`${BASE}/api/health`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 60_000 },
    )
    .toBe(200);
}

const json = (lines: string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });

test.describe("the container image", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(() => {
    app = assembleImage();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-data-"));
    execFileSync(
      process.execPath,
      ["--import", "tsx", "scripts/ingest.ts", path.join(SHARED, "datasets/exif-gps-samples/images"), "--json"],
      {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          STORE: "embedded",
          ...testModelEnv(),
        },
        stdio: "ignore",
      },
    );
    if (asRoot) {
      ensureUser();
      execFileSync("chown", ["-R", `${USER}:${USER}`, dataDir]);
      execFileSync("chmod", ["-R", "a+rX", app]);
    }
  });

  test.afterAll(() => {
    fs.rmSync(app, { recursive: true, force: true });
  });

  test("holds the server, not the project: output tracing followed no path known only at run time", () => {
    // A filesystem call whose path the bundler cannot bound (DATA_DIR's files) makes Next trace the
    // whole project into the standalone server: the build warns, and the image carries the repository.
    for (const folder of ["e2e", "docs", "scripts", "fixtures", "artifacts", "components", "app"])
      expect(fs.existsSync(path.join(app, folder)), `${folder}/ in the image`).toBe(false);
    expect(fs.existsSync(path.join(app, "server.js"))).toBe(true);
  });

  test("serves health, readiness and search on port 5001, logs JSON, and shuts down gracefully", async () => {
    const server = start({});
    try {
      await waitForHealth(server);
      if (asRoot) {
        const uid = execFileSync("ps", ["-o", "uid=", "-p", String(server.child.pid)])
          .toString()
          .trim();
        expect(uid).toBe(String(idOf("-u")));
        expect(uid).not.toBe("0");
      }
      await expect.poll(async () => (await (await fetch(`${BASE}/api/ready`)).json()).models.text.state, { timeout: 30_000 }).toBe("ready");
      const ready = await fetch(`${BASE}/api/ready`);
      expect(ready.status).toBe(200);
      const report = await ready.json();
      expect(report.store).toMatchObject({
        kind: "embedded",
        reachable: true,
        indexExists: true,
        count: 11,
        model: { modelId: "photo-search/clip-vit-tiny-random", dims: 512 },
      });

      const search = await fetch(`${BASE}/api/search`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "test-123" },
        body: JSON.stringify({ q: "a street", k: 3, filters: { near: { lat: 43.467, lon: 11.882, radiusKm: 10 } } }),
      });
      expect(search.status).toBe(200);
      expect(search.headers.get("x-request-id")).toBe("test-123");
      expect((await search.json()).hits).toHaveLength(3);
      const page = await fetch(`${BASE}/?q=street`);
      expect(await page.text()).toContain("/api/photos/");
      const thumb = await fetch(
        `${BASE}/api/photos/${report.store.count ? (await (await fetch(`${BASE}/api/search?k=1`)).json()).hits[0].id : ""}/thumbnail`,
      );
      expect(thumb.headers.get("content-type")).toBe("image/webp");
      // The browser embedder's runtime, under its versioned URL (next.config.js), cached for good.
      const ortVersion = JSON.parse(fs.readFileSync("node_modules/onnxruntime-web/package.json", "utf8")).version;
      const wasm = await fetch(`${BASE}/ort/${ortVersion}/ort-wasm-simd-threaded.asyncify.mjs`);
      expect(wasm.status).toBe(200);
      expect(wasm.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

      const logs = json(server.logs);
      expect(logs.find((l) => l.msg === "starting")).toMatchObject({ store: "embedded", port: PORT });
      expect(logs.find((l) => l.msg === "text model ready")?.ms).toBeGreaterThan(0);
      const logged = logs.find((l) => l.msg === "request" && l.requestId === "test-123");
      expect(logged).toMatchObject({ method: "POST", path: "/api/search", status: 200 });
      expect(typeof logged.ms).toBe("number");
    } finally {
      await stop(server);
    }
    expect(await server.exited).toBe(0);
    expect(json(server.logs).map((l) => l.msg)).toEqual(expect.arrayContaining(["shutting down", "stopped"]));
  });

  test("an unreachable ES_HOST fails readiness with a clear message and does not crash", async () => {
    const server = start({ ES_HOST: "http://127.0.0.1:9", ES_USER: "elastic", ES_PWD: "s3cret-pass", ES_REQUEST_TIMEOUT_MS: "2000" });
    try {
      await waitForHealth(server);
      const ready = await fetch(`${BASE}/api/ready`);
      expect(ready.status).toBe(503);
      const body = await ready.json();
      expect(body.store).toMatchObject({ kind: "elasticsearch", reachable: false });
      expect(body.problems.join(" ")).toMatch(/Elasticsearch at http:\/\/127\.0\.0\.1:9 is unreachable/);
      const search = await fetch(`${BASE}/api/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ q: "x" }),
      });
      expect(search.status).toBe(503);
      const failure = await search.text();
      expect(JSON.parse(failure).error.code).toBe("store_unavailable");
      expect(server.child.exitCode).toBeNull();
      // The password appears in no log line, no error and no page.
      const page = await (await fetch(`${BASE}/`)).text();
      for (const text of [server.logs.join("\n"), failure, JSON.stringify(body), page]) expect(text).not.toContain("s3cret-pass");
    } finally {
      await stop(server);
    }
  });

  test("a missing required variable stops start-up and is named", async () => {
    const server = start({ STORE: "elasticsearch" });
    const code = await Promise.race([server.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 30_000))]);
    if (code === "still running") await stop(server);
    expect(code).not.toBe(0);
    expect(code).not.toBe("still running");
    const error = json(server.logs).find((l) => l.msg === "bad configuration");
    expect(error).toMatchObject({ variable: "ES_HOST" });
    expect(error.error).toContain("ES_HOST is required when STORE=elasticsearch");
  });

  test("production without an access decision refuses to start (exit 78) and names AUTH_SECRET", async () => {
    const server = start({ AUTH_SECRET: "", ADMIN_PASSWORD: "", API_TOKENS: "", PUBLIC_READ: "" });
    const code = await Promise.race([server.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 30_000))]);
    if (code === "still running") await stop(server);
    expect(code).toBe(78);
    const error = json(server.logs).find((l) => l.msg === "bad configuration");
    expect(error).toMatchObject({ variable: "AUTH_SECRET" });
    expect(error.error).toMatch(/PUBLIC_READ=true.*AUTH=off/);
  });

  test("writes need the API token; reads stay public as PUBLIC_READ=true says", async () => {
    const server = start({});
    try {
      await waitForHealth(server);
      const id = (await (await fetch(`${BASE}/api/search?k=1`)).json()).hits[0].id;
      const anonymous = await fetch(`${BASE}/api/photos/${id}`, { method: "DELETE" });
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error.code).toBe("unauthorized");
      const wrongToken = await fetch(`${BASE}/api/photos/${id}`, { method: "DELETE", headers: { authorization: "Bearer nope" } });
      expect(wrongToken.status).toBe(401);
      const missing = await fetch(`${BASE}/api/photos/${"0".repeat(32)}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${E2E_TOKEN}` },
      });
      expect(missing.status).toBe(404);
      expect((await fetch(`${BASE}/api/photos/${id}`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  test("first run without a model: the gallery's readiness notice names the three ways out, in English and Chinese", async ({
    browser,
  }) => {
    // A fresh library, no MODEL_DIR, and a mirror that refuses connections: the model cannot be had.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-first-run-"));
    if (asRoot) execFileSync("chown", ["-R", `${USER}:${USER}`, fresh]);
    const server = start({
      DATA_DIR: fresh,
      MODEL_CACHE_DIR: path.join(fresh, "models"),
      MODEL_DIR: "",
      HF_ENDPOINT: "http://127.0.0.1:9",
    });
    try {
      await waitForHealth(server);
      // The server warms the text model at start; readiness reports its failure once it is over.
      await expect
        .poll(async () => ((await (await fetch(`${BASE}/api/ready`)).json()).reasons ?? []) as string[], { timeout: 60_000 })
        .toContain("model_unavailable");
      for (const lang of ["en", "zh"] as const) {
        const context = await browser.newContext({ locale: lang === "zh" ? "zh-CN" : "en-US" });
        const page = await context.newPage();
        await page.goto(BASE);
        const notice = page.getByTestId("not-ready");
        await expect(notice).toBeVisible();
        await expect(notice).toContainText(lang === "zh" ? "服务器尚未就绪" : "The server is not ready");
        await expect(notice).toContainText(lang === "zh" ? "无法加载模型" : "The model cannot be loaded");
        // The three ways out: a folder, a mirror, fetching ahead of time.
        for (const way of ["MODEL_DIR", "HF_ENDPOINT", "npm run models:fetch"]) await expect(notice).toContainText(way);
        // A search says the same thing in the reader's language instead of answering with no photos.
        await page.locator("[data-hydrated]").waitFor();
        await page.locator("input[type=search]").fill("snow");
        await page.locator("input[type=search]").press("Enter");
        const error = page.getByTestId("error");
        await expect(error).toHaveAttribute("data-code", "model_unavailable");
        await expect(error).toContainText(lang === "zh" ? "服务器无法加载搜索模型" : "The search model cannot be loaded");
        fs.mkdirSync("artifacts/screenshots", { recursive: true });
        await page.screenshot({ path: `artifacts/screenshots/desktop-light-${lang}-first-run-no-model.png` });
        await context.close();
      }
    } finally {
      await stop(server);
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
