/** Credentials never reach the browser: the client bundle, built with them in the environment, holds none. */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test("the client bundle holds no credential that was set at build time", async ({ page }) => {
  const marker = process.env.SECRET_MARKER;
  test.skip(!marker, "run through npm test, which builds with marker credentials");
  const bundle = files(".next/static");
  expect(bundle.length).toBeGreaterThan(5);
  for (const file of bundle) {
    const text = fs.readFileSync(file, "latin1");
    expect(text.includes(marker!), `${file} contains a credential`).toBe(false);
  }
  // And the page itself, with its security headers.
  const response = await page.goto("/");
  const html = await page.content();
  expect(html).not.toContain(marker!);
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("'wasm-unsafe-eval'");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
});
