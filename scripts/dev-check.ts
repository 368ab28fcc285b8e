/**
 * npm run dev:check [-- --port 5011]
 * A manual check of development mode in a real browser (not part of npm test: `next dev` compiles
 * each page on first visit, minutes on a loaded 2-core machine). Starts `next dev` on the test
 * models and an empty library, opens the home page and a query URL in Chromium, and fails when the
 * browser console reports an error (a CSP `eval()` refusal, a hydration mismatch…) or Next's
 * development overlay shows its red issue badge. Prints what it found either way.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { testModelEnv } from "../lib/testing/test-models";

const { values } = parseArgs({ options: { port: { type: "string", default: "5011" } } });
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const PAGES = ["/", "/?q=a+plate+of+food"];

async function waitForServer(deadline: number) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`next dev did not answer on ${base} within the time allowed`);
}

/** Next's development overlay lives in a shadow root; its issue badge carries data-issues-count. */
function issueBadge(): string | undefined {
  const portal = document.querySelector("nextjs-portal");
  const badge = portal?.shadowRoot?.querySelector("[data-issues-count]");
  return badge ? (badge.textContent ?? "").trim() || "present" : undefined;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "photo-search-dev-check-"));
  // npm run dev, as a developer starts it (its predev step puts onnxruntime-web's runtime in public/).
  const server = spawn("npm", ["run", "dev"], {
    env: { ...process.env, ...testModelEnv(), PORT: String(port), DATA_DIR: dataDir, STORE: "embedded", NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const serverLog: string[] = [];
  server.stdout.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  const problems: string[] = [];
  try {
    await waitForServer(Date.now() + 300_000);
    for (const url of PAGES) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
      page.on("pageerror", (error) => errors.push(error.message));
      // The first visit compiles the page: generous, since this is a manual check.
      await page.goto(`${base}${url}`, { timeout: 300_000 });
      await page.locator("[data-hydrated]").waitFor({ timeout: 300_000 });
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(2000); // the overlay counts issues reported just after hydration
      const badge = await page.evaluate(issueBadge);
      fs.mkdirSync("artifacts/screenshots", { recursive: true });
      const shot = `artifacts/screenshots/dev-mode${url === "/" ? "-home" : "-query"}.png`;
      await page.screenshot({ path: shot });
      console.log(`${url}: ${errors.length} console error(s), issue badge: ${badge ?? "none"} (${shot})`);
      for (const error of errors) problems.push(`${url}: console error: ${error}`);
      if (badge) problems.push(`${url}: Next's issue badge shows ${badge}`);
      await page.close();
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log("development mode: no console errors and no issue badge");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
