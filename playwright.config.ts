import { defineConfig, devices } from "@playwright/test";
import { E2E_OIDC } from "./e2e/auth";

/** e2e: the production build on the embedded store with the test model, in Debian's Chromium. */
const PORT = Number(process.env.E2E_PORT ?? 5101);
const EMPTY_PORT = PORT + 1;

export default defineConfig({
  testDir: "e2e",
  outputDir: "artifacts/e2e-results",
  fullyParallel: false,
  workers: 1,
  // One retry: a test that passes only on its retry is reported as flaky (to be fixed), and a loaded
  // 2-core runner's timing does not block a change that is correct.
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      // The identity provider the main server signs in with (OIDC_E2E_PORT, default E2E_PORT + 20).
      command: "npx tsx e2e/oidc-provider.ts",
      url: `${E2E_OIDC.issuer}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: `npx tsx e2e/serve.ts ${PORT} .cache/e2e/library`,
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
    },
    {
      command: `npx tsx e2e/serve.ts ${EMPTY_PORT} .cache/e2e/empty --empty`,
      url: `http://127.0.0.1:${EMPTY_PORT}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
    },
  ],
});

export const EMPTY_URL = `http://127.0.0.1:${EMPTY_PORT}`;
