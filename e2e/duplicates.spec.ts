/**
 * The duplicates review in a real browser: identical files listed with every path (e2e/serve.ts
 * ingests a COCO photo's bytes at two more paths), a near-identical copy (a re-encoding uploaded
 * here: the random test model tells resized copies apart, so only the re-encoding is certain to pass
 * its cosine threshold) found and removed from the library by a signed-in user (its file stays), the
 * threshold preview, and no removal offered to visitors.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { expect, test, type Page } from "@playwright/test";
import { E2E_TOKEN, signIn } from "./auth";

const SCREENSHOTS = "artifacts/screenshots";
const SOURCE = path.resolve(process.env.SHARED_DIR ?? "../shared", "datasets/coco-mini/images/val2017/000000397133.jpg");

async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function openReview(page: Page) {
  await page.goto("/duplicates");
  await expect(page.getByTestId("duplicates-summary")).toHaveText(/group/);
}

/**
 * The review's first answers while the server builds the library's neighbour graph (minutes at 100k
 * photos; instant for the e2e library): the server's documented 202 `{ building }` body for the
 * first two requests; the next goes to the server once the returned `release` is called.
 */
async function answerBuildingTwice(page: Page): Promise<() => void> {
  let answered = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/duplicates?*", async (route) => {
    const progress = [
      { phase: "indexing", done: 1000, total: 120000 },
      { phase: "comparing", done: 45000, total: 120000 },
    ][answered++];
    if (progress) return route.fulfill({ status: 202, json: { building: progress } });
    await released;
    await route.fallback();
  });
  return release;
}

test.describe("duplicates review", () => {
  test("shows the neighbour graph's progress while the server builds it, then the review", async ({ page }) => {
    const release = await answerBuildingTwice(page);
    await page.goto("/duplicates");
    const progress = page.getByTestId("duplicates-progress");
    await expect(progress).toContainText("Indexing photos for comparison: 1,000 of 120,000");
    await expect(progress).toContainText("Comparing photos: 45,000 of 120,000");
    await expect(progress.getByRole("progressbar")).toHaveAttribute("value", "45000");
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "duplicates-building.png"), fullPage: true });
    release();
    await expect(page.getByTestId("duplicates-summary")).toHaveText(/group/);
    await expect(progress).toHaveCount(0);
  });

  test("says the progress in Chinese", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const release = await answerBuildingTwice(page);
    await page.goto("/duplicates");
    await expect(page.getByTestId("duplicates-progress")).toContainText("正在比对照片：45,000 / 120,000 张");
    release();
    await expect(page.getByTestId("duplicates-summary")).toHaveText(/组/);
    await context.close();
  });

  test("lists identical files with every path, and offers no removal to visitors", async ({ page }) => {
    await openReview(page);
    const identical = page.locator('[data-testid=duplicate-group][data-class="identical"]');
    await expect(identical).toHaveCount(1);
    await expect(identical).toContainText("Identical files");
    const paths = identical.getByTestId("photo-paths").locator("li");
    await expect(paths).toHaveCount(3);
    expect((await paths.allTextContents()).sort()).toEqual(["backup/beach (copy).jpg", "trip/beach.jpg", "val2017/000000397133.jpg"]);
    await expect(page.getByText("Sign in to remove photos from the library.")).toBeVisible();
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await shot(page, "duplicates-visitor");
  });

  test("finds a re-encoded copy, previews thresholds, and removes it from the library only", async ({ page }) => {
    // A re-encoded copy of the same photo, uploaded through the API as a script would.
    const copy = await sharp(SOURCE).jpeg({ quality: 90 }).toBuffer();
    const uploaded = await page.request.post("/api/photos", {
      headers: { authorization: `Bearer ${E2E_TOKEN}` },
      multipart: { file: { name: "beach-small.jpg", mimeType: "image/jpeg", buffer: copy } },
    });
    expect(uploaded.status()).toBe(201);
    const { photo } = (await uploaded.json()) as { photo: { id: string } };

    await signIn(page);
    await openReview(page);
    const group = page.locator("[data-testid=duplicate-group]", { has: page.getByRole("img", { name: "beach-small.jpg" }) });
    await expect(group).toHaveAttribute("data-class", "near-identical");
    await shot(page, "duplicates-near-identical");

    // Stricter thresholds: the copy's group goes away; back to the defaults: it returns.
    const near = page.getByRole("slider", { name: "Copies: similarity at least" });
    await near.fill("1");
    await expect(group).toHaveCount(0);
    await near.fill("0.95");
    await expect(group).toHaveCount(1);

    await group.getByRole("checkbox", { name: "Select beach-small.jpg" }).check();
    await page.getByRole("button", { name: "Remove 1 from library" }).click();
    await expect(page.getByText("Removed 1 from the library (files untouched).")).toBeVisible();
    await expect(group).toHaveCount(0);
    expect((await page.request.get(`/api/photos/${photo.id}`)).status()).toBe(404);
    await shot(page, "duplicates-removed");
  });
});
