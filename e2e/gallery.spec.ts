/**
 * The gallery in a real browser (Debian's Chromium) against the production build, on the embedded
 * store with the test model and the coco-mini + exif-gps-samples photos. Screenshots of the main
 * screens go to artifacts/screenshots.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { testModelEnv } from "../lib/testing/test-models";
import { EMPTY_URL } from "../playwright.config";
import { signIn } from "./auth";
import { COCO, drop, FLICKR, firstTileId, idOf, open, SHARED, shot, tiles, transfer } from "./helpers";

const { IMAGE_MODEL: TEST_MODEL, MULTILINGUAL_MODEL } = testModelEnv();

test.describe("gallery", () => {
  test("browses the library newest first on the first load, rendered by the server", async ({ page }) => {
    const response = await page.request.get("/");
    expect(await response.text()).toContain("/api/photos/"); // thumbnails are in the server's HTML
    await open(page, "/");
    await expect(tiles(page)).toHaveCount(30);
    await expect(page.getByTestId("result-count")).toHaveText("170 photos · newest first");
    await shot(page, "desktop-light-browse");
  });

  test("text search keeps its state in the URL and survives a reload", async ({ page }) => {
    await open(page, "/");
    await page.getByLabel("Search photos").fill("pizza");
    await page.getByLabel("Mode").selectOption("text");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/\?q=pizza&mode=text$/);
    // The browse tiles stay on screen, dimmed, until the search answers: read the first tile after.
    await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
    await expect(tiles(page).first()).toBeVisible();
    const first = await firstTileId(page);
    await expect(tiles(page).first().locator("img")).toHaveAttribute("alt", /pizza/i);
    await page.reload();
    await expect(page.getByLabel("Search photos")).toHaveValue("pizza");
    expect(await firstTileId(page)).toBe(first);
    await shot(page, "desktop-light-text-search");
  });

  test("a dropped photo is the query and comes back first", async ({ page }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[4]!);
    await open(page, "/");
    await drop(page, file);
    await expect(page.getByTestId("image-chip")).toBeVisible();
    await expect.poll(() => firstTileId(page)).toBe(idOf(file));
    await shot(page, "desktop-light-image-search");
    await page.getByRole("button", { name: "Remove image query" }).click();
    await expect(page.getByTestId("image-chip")).toHaveCount(0);
    await expect(page.getByTestId("result-count")).toHaveText("170 photos · newest first");
  });

  test("a pasted photo is the query and comes back first", async ({ page }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[9]!);
    await open(page, "/");
    const data = await transfer(page, file);
    await page.evaluate(
      (clipboardData) => document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true })),
      data,
    );
    await expect.poll(() => firstTileId(page)).toBe(idOf(file));
  });

  test("a photo picked from disk is the query", async ({ page }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[12]!);
    await open(page, "/");
    await page.getByTestId("pick-image").setInputFiles(file);
    await expect.poll(() => firstTileId(page)).toBe(idOf(file));
  });

  test("the photo view moves with the keyboard and finds more like this", async ({ page }) => {
    await open(page, "/?q=pizza&mode=text");
    await tiles(page).first().click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    const firstName = await dialog.getAttribute("aria-label");
    await page.keyboard.press("ArrowRight");
    await expect(dialog).not.toHaveAttribute("aria-label", firstName!);
    await page.keyboard.press("ArrowLeft");
    await expect(dialog).toHaveAttribute("aria-label", firstName!);
    await expect(dialog.getByText("Folder")).toBeVisible();
    await shot(page, "desktop-light-photo-view");
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);

    const id = await firstTileId(page);
    await tiles(page).first().click();
    await page.getByRole("button", { name: "More like this", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`like=${id}`));
    await expect(page.getByTestId("like-chip")).toBeVisible();
    // The relevance cut-off decides how many (e2e/understanding.spec.ts covers it).
    await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
    await expect(tiles(page).first()).toBeVisible();
    expect(await tiles(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-photo-id")))).not.toContain(id);
  });

  test("filters by place, date and folder, combined with a query", async ({ page }) => {
    await open(page, "/?q=a+street&all=1"); // every photo, not only the relevant ones: this test counts filters
    const tuscany = await page
      .getByLabel("Place")
      .locator("option", { hasText: /^Arezzo, Italy \(9\)$/ }) // places are named, with their counts
      .getAttribute("value");
    await page.getByLabel("Place").selectOption(tuscany!);
    await expect(page).toHaveURL(/near=/);
    await expect(tiles(page)).toHaveCount(9);
    await page.getByLabel("Place").selectOption("");
    await page.getByLabel("From", { exact: true }).fill("2008-10-22");
    await page.getByLabel("To", { exact: true }).fill("2008-10-22");
    await expect(tiles(page)).toHaveCount(9);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\?q=a\+street&all=1$/);
    await page.getByLabel("Folder").selectOption("images/val2017");
    await expect(page).toHaveURL(/folder=images%2Fval2017/);
    await expect(tiles(page)).toHaveCount(30);
    await open(page, "/?q=a+street&from=1990-01-01&to=1990-12-31");
    await expect(page.getByTestId("empty")).toHaveText(/No photos match/);
  });

  test("typed coordinates and a radius filter too", async ({ page }) => {
    await open(page, "/");
    await page.getByLabel("Coordinates").fill("60.1467, 24.9068");
    await page.getByLabel("Radius (km)").fill("5");
    await page.getByLabel("Coordinates").press("Enter");
    await expect(tiles(page)).toHaveCount(1);
    await expect(page.getByTestId("result-count")).toHaveText("1 photo · newest first");
    await expect(tiles(page).first()).toHaveAttribute(
      "data-photo-id",
      idOf(path.join(SHARED, "datasets/exif-gps-samples/images/HMD_Nokia_8.3_5G.jpg")),
    );
  });

  test("scrolling loads more results until the end", async ({ page }) => {
    await open(page, "/");
    await expect(tiles(page)).toHaveCount(30);
    for (let shown = 30; shown < 170; shown = await tiles(page).count()) {
      await page.mouse.wheel(0, 20_000);
      await expect.poll(() => tiles(page).count()).toBeGreaterThan(shown);
    }
    await expect(tiles(page)).toHaveCount(170);
    await expect(page.getByText("That's all.")).toBeVisible();
  });

  test("uploads a photo into the library with progress, and finds it", async ({ page }) => {
    const file = path.join(FLICKR, fs.readdirSync(FLICKR)[11]!);
    await signIn(page);
    await page.getByTestId("upload").setInputFiles(file);
    await expect(page.getByTestId("uploads").locator("li", { hasText: path.basename(file) })).toContainText("Added");
    expect((await page.request.get(`/api/photos/${idOf(file)}`)).status()).toBe(200);
    await page.getByTestId("pick-image").setInputFiles(file);
    await expect.poll(() => firstTileId(page)).toBe(idOf(file));
  });

  test("refuses a file that is not a photo, saying why", async ({ page }) => {
    await signIn(page);
    await page.getByTestId("upload").setInputFiles({ name: "notes.jpg", mimeType: "image/jpeg", buffer: Buffer.from("just text") });
    await expect(page.getByTestId("uploads").locator("li", { hasText: "notes.jpg" })).toContainText(
      "That file is not a photo the app can read.",
    );
  });

  test("switches between English and Chinese and remembers the choice", async ({ page }) => {
    await open(page, "/");
    await page.getByRole("button", { name: "中文", exact: true }).click();
    await expect(page.getByRole("heading", { name: "以文搜图" })).toBeVisible();
    await expect(page.getByLabel("搜索照片")).toHaveAttribute("placeholder", /雪山/);
    await page.reload();
    await expect(page.getByRole("heading", { name: "以文搜图" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.getByLabel("搜索照片").fill("披萨");
    await page.getByLabel("搜索照片").press("Enter");
    await expect(page).toHaveURL(/q=%E6%8A%AB%E8%90%A8/);
    await page.getByRole("button", { name: "EN", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Photo search" })).toBeVisible();
  });

  test("picks Chinese from the browser's language", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await open(page, "/");
    await expect(page.getByRole("heading", { name: "以文搜图" })).toBeVisible();
    await context.close();
  });

  test("embeds the query in the browser and gets the server's results", async ({ page }) => {
    await open(page, "/?q=a+red+bus&all=1"); // every photo, not only the relevant ones: the test compares 30
    await expect(tiles(page)).toHaveCount(30);
    const serverIds = await tiles(page).evaluateAll((els) => els.slice(0, 10).map((e) => e.getAttribute("data-photo-id")));
    const vectorRequest = page.waitForRequest((r) => r.url().endsWith("/api/search") && (r.postData() ?? "").includes('"vector"'));
    await page.getByText("Options").click();
    await page.getByTestId("browser-embedding").check();
    const request = await vectorRequest;
    const body = JSON.parse(request.postData()!);
    expect(body.vector.model).toBe(TEST_MODEL);
    expect(body.vector.values).toHaveLength(512);
    expect(body.q).toBeUndefined();
    await expect
      .poll(async () => (await tiles(page).evaluateAll((els) => els.slice(0, 10).map((e) => e.getAttribute("data-photo-id")))).join())
      .toBe(serverIds.join());
  });

  test("routes a Chinese query to the multilingual model in the browser, as the server does", async ({ page }) => {
    const server = await (await page.request.get("/api/search?q=%E9%9B%AA%E5%B1%B1&k=10&cutoff=false")).json();
    expect(server.textModel).toBe(MULTILINGUAL_MODEL);
    await open(page, "/?q=%E9%9B%AA%E5%B1%B1&all=1");
    await expect(tiles(page)).toHaveCount(30);
    const vectorRequest = page.waitForRequest((r) => r.url().endsWith("/api/search") && (r.postData() ?? "").includes('"vector"'));
    await page.getByText("Options").click();
    await page.getByTestId("browser-embedding").check();
    const request = await vectorRequest;
    const body = JSON.parse(request.postData()!);
    expect(body.vector.model).toBe(MULTILINGUAL_MODEL);
    expect(body.vector.values).toHaveLength(512);
    const answer = await (await request.response())!.json();
    expect(answer.textModel).toBe(MULTILINGUAL_MODEL);
    await expect
      .poll(async () => (await tiles(page).evaluateAll((els) => els.slice(0, 10).map((e) => e.getAttribute("data-photo-id")))).join())
      .toBe(server.hits.map((h: { id: string }) => h.id).join());
  });

  test("says what to do when the library is empty", async ({ page }) => {
    await open(page, EMPTY_URL);
    await expect(page.getByTestId("empty")).toHaveText(/npm run ingest -- <folder>/);
    await shot(page, "desktop-light-empty");
    // A shared link with a query, opened on an empty library: still how to add photos, not "no match".
    await open(page, `${EMPTY_URL}/?q=dog`);
    await expect(page.getByTestId("empty")).toHaveText(/npm run ingest -- <folder>/);
    await shot(page, "desktop-light-empty-query");
  });

  test("shows an error with a way to retry when the server fails", async ({ page }) => {
    await open(page, "/");
    await page.route("**/api/search", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "store_unavailable", message: "Elasticsearch at http://es:9200 is unreachable" } }),
      }),
    );
    await page.getByLabel("Search photos").fill("boats");
    await page.getByLabel("Search photos").press("Enter");
    // The UI says what the code means in the reader's language, not the server's English message.
    await expect(page.getByTestId("error")).toContainText("The photo library cannot be reached.");
    await shot(page, "desktop-light-error");
    await page.unroute("**/api/search");
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByTestId("error")).toHaveCount(0);
    await expect(tiles(page).first()).toBeVisible();
  });

  test("is accessible by keyboard: search, open a photo, close it", async ({ page }) => {
    await open(page, "/");
    // Tab order: the title link, upload, language, then the search box.
    const order: string[] = [];
    for (let i = 0; i < 8 && !order.includes("q"); i++) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ""));
    }
    expect(order).toContain("q");
    expect(order.indexOf("Photo search")).toBeLessThan(order.indexOf("q"));
    await page.keyboard.type("kitchen");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/q=kitchen/);
    // The earlier results stay on screen (dimmed) until the new ones arrive: focus a new one.
    await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
    await tiles(page).first().focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.keyboard.press("Escape");
    const alts = await page.locator("main img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("alt")));
    expect(alts.every((alt) => alt && alt.length > 0)).toBe(true);
  });
});

test.describe("screens", () => {
  for (const scheme of ["light", "dark"] as const) {
    test(`desktop and phone, ${scheme}`, async ({ browser }) => {
      for (const [device, viewport] of [
        ["desktop", { width: 1280, height: 900 }],
        ["phone", { width: 390, height: 844 }],
      ] as const) {
        const context = await browser.newContext({
          viewport,
          colorScheme: scheme,
          deviceScaleFactor: device === "phone" ? 2 : 1,
          isMobile: device === "phone",
          hasTouch: device === "phone",
        });
        const page = await context.newPage();
        await open(page, "/?q=a+plate+of+food");
        await expect(tiles(page).first()).toBeVisible();
        await shot(page, `${device}-${scheme}-search`);
        await tiles(page).first().click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await shot(page, `${device}-${scheme}-photo-view`);
        await context.close();
      }
    });
  }
});
