/**
 * Section 3, in the browser: the gallery in headless Chromium embeds text queries with
 * transformers.js (onnxruntime-web WASM) in a worker, as users with "embed in the browser" on do.
 * The page records a User Timing measure per query (postMessage to vector); cold is the first query
 * after the page loads (worker start, model download from this server, WASM compile, inference).
 */
import { chromium } from "playwright-core";
import { TIMING_ENTRY } from "@/lib/embedding/browser/use-browser-embedder";
import { round, stat } from "./measure";

const TEXTS = [
  "a mountain covered in snow",
  "a red bus on a city street",
  "two dogs playing on a beach",
  "一只猫",
  "people at a market",
  "a bowl of fruit",
  "sunset over the sea",
  "a man riding a bicycle",
];

export async function browserTextEmbedding(url: string, warmRuns: number) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage();
    const entries = () => page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), TIMING_ENTRY);
    const waitForEntries = (count: number) =>
      page.waitForFunction(
        ([name, n]) => performance.getEntriesByName(name as string).length >= (n as number),
        [TIMING_ENTRY, count] as const,
        { timeout: 300_000 },
      );
    await page.goto(`${url}/?q=${encodeURIComponent("cold start query")}`);
    await page.locator("[data-hydrated]").waitFor();
    await page.locator("details summary").click(); // the option lives under "Options"
    await page.getByTestId("browser-embedding").check();
    await waitForEntries(1);
    const cold = (await entries())[0];
    const search = page.getByLabel("Search photos");
    for (let i = 0; i < warmRuns; i++) {
      await search.fill(`${TEXTS[i % TEXTS.length]} ${i}`);
      await search.press("Enter");
      await waitForEntries(i + 2);
    }
    const warm = (await entries()).slice(1);
    return { coldMs: round(cold!, 0), warm: stat(warm), threads: await page.evaluate(() => navigator.hardwareConcurrency) };
  } finally {
    await browser.close();
  }
}
