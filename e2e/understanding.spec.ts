/**
 * Search understanding in a real browser: the parsed query as removable chips, the relevance cut-off
 * with "show N less relevant", date order within relevance, and "More like this, but…" / "Not like
 * this" from the photo view. Same library and test model as gallery.spec.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { COCO, drop, idOf } from "./helpers";

const SCREENSHOTS = "artifacts/screenshots";
const tiles = (page: Page) => page.getByTestId("results").locator("a[data-photo-id]");
/** The ids shown, in order; none while a navigation replaces the document (so a poll waits instead of failing). */
const tileIds = (page: Page) =>
  tiles(page)
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-photo-id")))
    .catch(() => []);

async function open(page: Page, url: string) {
  await page.goto(url);
  await page.locator("[data-hydrated]").waitFor();
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

interface ApiResult {
  relevant: number;
  lessRelevant: number;
  hits: { id: string }[];
}

async function api(page: Page, body: Record<string, unknown>): Promise<ApiResult> {
  const response = await page.request.post("/api/search", { data: body });
  expect(response.ok()).toBe(true);
  return (await response.json()) as ApiResult;
}

test.describe("search understanding", () => {
  test("shows the parsed query as chips, and removing one rewrites the query", async ({ page }) => {
    await open(page, "/?q=street+-people+2008");
    const chips = page.getByTestId("query-chips");
    await expect(chips.getByTestId("chip-positive")).toHaveText(/street/);
    await expect(chips.getByTestId("chip-negative")).toHaveText(/not people/);
    await expect(chips.getByTestId("chip-date")).toHaveText(/2008-01-01 – 2008-12-31/);
    await expect(page.getByTestId("relevant-count")).toBeVisible();
    await shot(page, "understanding-chips");
    await page.getByRole("button", { name: "Remove people" }).click();
    await expect(page).toHaveURL(/\?q=street\+2008$/);
    await expect(chips.getByTestId("chip-negative")).toHaveCount(0);
    await page.getByRole("button", { name: "Remove 2008" }).click();
    await expect(page).toHaveURL(/\?q=street$/);
    await expect(page.getByTestId("chip-date")).toHaveCount(0);
  });

  test("stops at the relevant photos and offers the less relevant ones", async ({ page }) => {
    // A query over the nine Tuscany photos whose cut-off leaves some out (the test model is random,
    // so which query does is found through the API, not assumed).
    const near = { lat: 43.467, lon: 11.882, radiusKm: 10 };
    const candidates = ["a street", "a house", "a photo", "a car", "a church", "a tree"];
    let chosen: { q: string; result: ApiResult } | undefined;
    for (const q of candidates) {
      const result = await api(page, { q, filters: { near }, k: 30 });
      if (result.lessRelevant > 0 && result.relevant > 0) {
        chosen = { q, result };
        break;
      }
    }
    expect(chosen, "a query with both relevant and less relevant photos").toBeDefined();
    const { q, result } = chosen!;
    await open(page, `/?q=${encodeURIComponent(q)}&near=43.467,11.882,10`);
    await expect(tiles(page)).toHaveCount(result.relevant);
    const more = page.getByTestId("show-less-relevant");
    await expect(more).toHaveText(`Show ${result.lessRelevant} less relevant`);
    await shot(page, "understanding-cutoff");
    await more.click();
    await expect(page).toHaveURL(/all=1/);
    await expect(tiles(page)).toHaveCount(result.relevant + result.lessRelevant);
    // The relevant ones stay first, in the same order.
    expect((await tileIds(page)).slice(0, result.relevant)).toEqual(result.hits.map((h) => h.id));
    await page.getByRole("button", { name: "Only the relevant ones" }).click();
    await expect(tiles(page)).toHaveCount(result.relevant);
  });

  test("orders by date within the relevant photos, the same as the API", async ({ page }) => {
    await open(page, "/?q=a+street+2008&all=1");
    await page.getByLabel("Order").selectOption("oldest");
    await expect(page).toHaveURL(/order=oldest/);
    const expected = await api(page, { q: "a street 2008", cutoff: false, order: "oldest", k: 30 });
    await expect.poll(() => tileIds(page)).toEqual(expected.hits.map((h) => h.id));
    await shot(page, "understanding-date-order");
  });

  test("the photo view searches like this photo but with words, or away from it", async ({ page }) => {
    await open(page, "/?q=a+street&all=1");
    const first = await tiles(page).first().getAttribute("data-photo-id");
    await tiles(page).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("More like this, but…").fill("at night");
    await shot(page, "understanding-like-but");
    await dialog.getByRole("button", { name: "More like this, but…" }).click();
    await expect(page).toHaveURL(new RegExp(`q=at\\+night.*like=${first}|like=${first}.*q=at\\+night`));
    await expect(page.getByTestId("chip-like")).toBeVisible();
    await expect(page.getByTestId("chip-positive")).toHaveText(/at night/);
    expect(await tileIds(page)).not.toContain(first);

    await open(page, "/?q=a+street&all=1");
    const avoided = await tiles(page).first().getAttribute("data-photo-id");
    await tiles(page).first().click();
    await page.getByRole("dialog").getByRole("button", { name: "Not like this" }).click();
    await expect(page).toHaveURL(new RegExp(`unlike=${avoided}`));
    await expect(page.getByTestId("chip-not-like")).toBeVisible();
    await expect(tiles(page).first()).toBeVisible();
    expect(await tileIds(page)).not.toContain(avoided);
    await shot(page, "understanding-not-like");
  });

  test("a dropped photo plus typed words is one query, weights adjustable, restored by reload", async ({ page }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[4]!);
    const bytes = fs.readFileSync(file);
    const imageApi = async (options: Record<string, unknown>) => {
      const response = await page.request.post("/api/search", {
        multipart: { image: { name: "query.jpg", mimeType: "image/jpeg", buffer: bytes }, options: JSON.stringify({ k: 30, ...options }) },
      });
      expect(response.ok()).toBe(true);
      return ((await response.json()) as ApiResult).hits.map((h) => h.id);
    };
    await open(page, "/");
    await drop(page, file);
    await expect(page).toHaveURL(/\?image=[0-9a-f]{32}$/);
    await expect(page.getByTestId("image-chip")).toBeVisible();
    const alone = await imageApi({});
    await expect.poll(() => tileIds(page)).toEqual(alone);
    expect(alone[0]).toBe(idOf(file));

    // Words typed now join the image: one composed query, the image and the words as chips.
    const box = page.getByLabel("Search photos");
    await expect(box).toHaveAttribute("placeholder", /Add words to the image/);
    await box.fill("at night");
    await box.press("Enter");
    await expect(page).toHaveURL(/\?q=at\+night&image=[0-9a-f]{32}$/);
    const chips = page.getByTestId("query-chips");
    await expect(chips.getByTestId("chip-image").locator("img")).toHaveAttribute("src", /^blob:/);
    await expect(chips.getByTestId("chip-positive")).toHaveText(/at night/);
    // The relevant set of each is the photo itself; the rankings behind it differ.
    expect(await imageApi({ q: "at night", cutoff: false })).not.toEqual(await imageApi({ cutoff: false }));
    await expect.poll(() => tileIds(page)).toEqual(await imageApi({ q: "at night" }));
    await page.getByTestId("show-less-relevant").click();
    await expect(page).toHaveURL(/all=1/);
    await expect.poll(() => tileIds(page)).toEqual(await imageApi({ q: "at night", cutoff: false }));
    await shot(page, "understanding-image-plus-words");

    // The photo's weight against the words: in the URL and the request.
    await chips.getByLabel("Photo weight").fill("3");
    await expect(page).toHaveURL(/\?q=at\+night&w=3&all=1&image=[0-9a-f]{32}$/);
    const weighted = await imageApi({ q: "at night", likeWeight: 3, cutoff: false });
    await expect.poll(() => tileIds(page)).toEqual(weighted);

    await page.reload();
    await page.locator("[data-hydrated]").waitFor();
    await expect(box).toHaveValue("at night");
    await expect(chips.getByTestId("chip-image")).toBeVisible();
    await expect(chips.getByLabel("Photo weight")).toHaveValue("3");
    await expect.poll(() => tileIds(page)).toEqual(weighted);

    // Back to the image alone, then the words alone once the image chip is removed. Each Back is
    // let settle, as a person's would be: after a reload, Next's router fetches each entry it is
    // taken back through, and three traversals inside a few milliseconds end in a hard navigation.
    for (let i = 0; i < 3; i++) {
      await page.goBack();
      await page.waitForLoadState("networkidle");
    }
    await expect(page).toHaveURL(/\?image=[0-9a-f]{32}$/);
    await expect(page.getByTestId("image-chip")).toBeVisible();
    await expect.poll(() => tileIds(page)).toEqual(alone);
    await page.goForward();
    await page.waitForLoadState("networkidle");
    await expect(page).toHaveURL(/\?q=at\+night&image=[0-9a-f]{32}$/);
    await chips.getByRole("button", { name: "Remove image query" }).click();
    await expect(page).toHaveURL(/\?q=at\+night$/);
    await expect(page.getByTestId("image-chip")).toHaveCount(0);
    await expect(chips.getByTestId("chip-image")).toHaveCount(0);
  });

  test("a dropped photo plus words in Chinese: 夜晚 is a word, not a filter to today", async ({ browser }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[4]!);
    const context = await browser.newContext({ locale: "zh-CN" });
    const zh = await context.newPage();
    await open(zh, "/");
    await drop(zh, file);
    await expect(zh.getByTestId("image-chip")).toBeVisible();
    await expect(zh.getByLabel("搜索照片")).toHaveAttribute("placeholder", /给图片加上文字/);
    await zh.getByLabel("搜索照片").fill("夜晚");
    await zh.getByLabel("搜索照片").press("Enter");
    await expect(zh.getByTestId("chip-image")).toContainText("相似于");
    await expect(zh.getByTestId("chip-positive")).toHaveText(/夜晚/);
    await expect(zh.getByTestId("chip-date")).toHaveCount(0);
    await expect(zh.getByTestId("results")).toBeVisible();
    await shot(zh, "understanding-image-plus-words-zh");
    await context.close();
  });
});
