/**
 * The gallery as a photo app (issue 14, "The gallery" 1-13), in Debian's Chromium against the
 * production build: each numbered point has its test, named after it.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./auth";
import { COCO, drop, FLICKR, GPS, idOf, open, shot, tileIds, tiles } from "./helpers";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function phonePage(browser: Browser, options: { locale?: string; colorScheme?: "light" | "dark" } = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  return { context, page: await context.newPage() };
}

/** Counts POSTs to the search API from now on. */
function countSearches(page: Page) {
  const seen: string[] = [];
  page.on("request", (r) => r.method() === "POST" && r.url().endsWith("/api/search") && seen.push(r.postData() ?? ""));
  return seen;
}

test.describe("1. results stay while a new search loads, with a count", () => {
  test("the current results are dimmed, not blanked, until the new ones arrive", async ({ page }) => {
    await open(page, "/?q=pizza&mode=text");
    const before = await tileIds(page);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/search", async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel("Search photos").fill("a red bus");
    await page.getByLabel("Search photos").press("Enter");
    await expect(page.getByTestId("results")).toHaveAttribute("data-stale", "true");
    await expect(page.getByTestId("results")).toHaveAttribute("aria-busy", "true");
    expect(await tileIds(page)).toEqual(before);
    await expect(page.getByText("Loading…")).toHaveCount(0);
    release();
    await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
    expect(await tileIds(page)).not.toEqual(before);
  });

  test("counts photos with the language's plural rules", async ({ page, browser }) => {
    const facets = (await (await page.request.get("/api/facets")).json()) as { folders: { count: number }[] };
    const total = facets.folders.reduce((sum, f) => sum + f.count, 0);
    await open(page, "/");
    await expect(page.getByTestId("result-count")).toHaveText(`${total} photos · newest first`);
    await open(page, "/?near=60.1467,24.9068,5");
    await expect(page.getByTestId("result-count")).toHaveText("1 photo · newest first");
    await open(page, "/?q=pizza&all=1"); // all=1: past the relevance cut-off
    await expect(page.getByTestId("result-count")).toHaveText("More than 30 photos · best matches first");
    const context = await browser.newContext({ locale: "zh-CN" });
    const zh = await context.newPage();
    await open(zh, "/?near=60.1467,24.9068,5");
    await expect(zh.getByTestId("result-count")).toHaveText("1 张照片 · 最新的在前");
    await context.close();
  });
});

test.describe("2. infinite scroll does not shift the layout", () => {
  for (const [device, viewport] of [
    ["desktop", { width: 1280, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    test(`CLS stays at most 0.01 while scrolling to the end (${device}), search and timeline`, async ({ browser }) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (const url of ["/?q=a+street&all=1", "/"]) {
        await open(page, url);
        await page.evaluate(() => {
          const w = window as unknown as { cls: number };
          w.cls = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
              if (!entry.hadRecentInput) w.cls += entry.value;
          }).observe({ type: "layout-shift", buffered: true });
        });
        // Scroll like a reader: a screen at a time, until the end of the results.
        for (let step = 0; step < 200 && (await page.getByText("That's all.").count()) === 0; step++) {
          await page.mouse.wheel(0, viewport.height * 0.8);
          await page.waitForTimeout(50);
        }
        await expect(page.getByText("That's all.")).toBeVisible();
        expect(await tiles(page).count()).toBeGreaterThan(30);
        const cls = await page.evaluate(() => (window as unknown as { cls: number }).cls);
        console.log(`CLS while scrolling ${url} on ${device}: ${cls.toFixed(4)}`);
        expect(cls).toBeLessThanOrEqual(0.01);
      }
      await context.close();
    });
  }

  test("a row already shown keeps its height when the next page is appended", async ({ page }) => {
    await open(page, "/?q=a+street&all=1");
    const visibleHeights = () =>
      tiles(page).evaluateAll((els) =>
        els.filter((e) => e.getClientRects().length > 0).map((e) => Math.round(e.getBoundingClientRect().height)),
      );
    const before = await visibleHeights();
    await page.mouse.wheel(0, 3000);
    await expect.poll(() => tiles(page).count()).toBeGreaterThan(30);
    const after = await visibleHeights();
    expect(after.slice(0, before.length)).toEqual(before);
  });
});

test.describe("3. the photo view is a real modal dialog", () => {
  test("traps focus, restores it, locks the page behind, and Escape closes it", async ({ page }) => {
    await open(page, "/?q=pizza&mode=text");
    await tiles(page).nth(2).focus();
    const tileId = await tiles(page).nth(2).getAttribute("data-photo-id");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`photo=${tileId}`));
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press(i % 4 === 3 ? "Shift+Tab" : "Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")))).toBe(true);
    }
    // The page behind: inert (no clicks, hidden from assistive technology) and not scrolling.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe("hidden");
    const scrollY = await page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 2000);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
    // Inert: a control behind the dialog cannot take focus, even when asked to.
    expect(
      await page.evaluate(() => {
        const behind = document.querySelector<HTMLElement>("header button");
        behind?.focus();
        return document.activeElement === behind;
      }),
    ).toBe(false);
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(page).not.toHaveURL(/photo=/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-photo-id"))).toBe(tileId);
  });

  test("Back closes it without changing the search; its URL opens it on its own", async ({ page }) => {
    await open(page, "/?q=pizza&mode=text");
    const ids = await tileIds(page);
    await tiles(page).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.keyboard.press("ArrowRight");
    await expect(page).toHaveURL(new RegExp(`photo=${ids[1]}`));
    const shared = page.url();
    await page.goBack();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page).toHaveURL(/\?q=pizza&mode=text$/);
    expect(await tileIds(page)).toEqual(ids);
    await open(page, shared);
    await expect(page.getByRole("dialog")).toHaveAttribute("data-photo-id", ids[1]!);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(page).toHaveURL(/\?q=pizza&mode=text$/);
    await open(page, `/?photo=${idOf(path.join(GPS, "HMD_Nokia_8.3_5G.jpg"))}`);
    await expect(page.getByRole("dialog")).toContainText("HMD_Nokia_8.3_5G.jpg");
  });

  test("on a phone: swipe moves between photos, double-tap and pinch zoom", async ({ browser }) => {
    const { context, page } = await phonePage(browser);
    await open(page, "/?q=pizza&mode=text");
    const ids = await tileIds(page);
    await tiles(page).first().tap();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toHaveAttribute("data-photo-id", ids[0]!);
    const stage = page.getByTestId("photo-stage");
    const box = (await stage.boundingBox())!;
    const cdp = await context.newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", points: { x: number; y: number }[]) =>
      cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map((p, id) => ({ ...p, id })) });
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // Swipe left: the next photo.
    await touch("touchStart", [{ x: cx + 120, y: cy }]);
    for (let dx = 100; dx >= -120; dx -= 20) await touch("touchMove", [{ x: cx + dx, y: cy }]);
    await touch("touchEnd", []);
    await expect(dialog).toHaveAttribute("data-photo-id", ids[1]!);
    await shot(page, "phone-light-photo-view-swiped");
    // Double-tap: zoomed in; again: back out.
    const image = dialog.locator("img");
    await page.touchscreen.tap(cx, cy);
    await page.touchscreen.tap(cx, cy);
    await expect(image).toHaveAttribute("data-scale", "2.5");
    await page.touchscreen.tap(cx, cy);
    await page.touchscreen.tap(cx, cy);
    await expect(image).toHaveAttribute("data-scale", "1");
    // Pinch out with two fingers.
    await touch("touchStart", [
      { x: cx - 20, y: cy },
      { x: cx + 20, y: cy },
    ]);
    for (let d = 30; d <= 100; d += 10)
      await touch("touchMove", [
        { x: cx - d, y: cy },
        { x: cx + d, y: cy },
      ]);
    await touch("touchEnd", []);
    expect(Number(await image.getAttribute("data-scale"))).toBeGreaterThan(2);
    await context.close();
  });
});

test.describe("4. keyboard: a skip link and visible focus on photos", () => {
  test("the first Tab offers to skip to the photos, the next reaches the first photo, with a visible ring", async ({ page }) => {
    await open(page, "/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to photos" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(tiles(page).first()).toBeFocused();
    const ring = await tiles(page)
      .first()
      .evaluate((el) => getComputedStyle(el, "::after").boxShadow);
    expect(ring).not.toBe("none");
    await shot(page, "desktop-light-focus");
  });
});

test.describe("5. errors are explained, translated and retried", () => {
  test("a dropped file that is not an image is explained", async ({ page }) => {
    await open(page, "/");
    await drop(page, "package.json", "notes.txt", "text/plain");
    await expect(page.getByTestId("rejected")).toHaveText(/notes\.txt is not an image/);
  });

  test("server errors appear in Chinese in the Chinese UI, Try again retries, the menus keep their options", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await open(page, "/");
    const placeOptions = await page.getByLabel("地点").locator("option").count();
    expect(placeOptions).toBeGreaterThan(1);
    let failures = 1;
    const searches = countSearches(page);
    await page.route("**/api/search", (route) =>
      failures-- > 0
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "store_unavailable", message: "Elasticsearch at http://es:9200 is unreachable" } }),
          })
        : route.continue(),
    );
    await page.getByLabel("搜索照片").fill("boats");
    await page.getByLabel("搜索照片").press("Enter");
    const error = page.getByTestId("error");
    await expect(error).toContainText("无法连接照片库");
    await expect(error).toContainText("请稍后重试");
    await expect(error.getByText("unreachable")).toBeHidden(); // the server's English stays under 详细信息
    await shot(page, "desktop-light-zh-error");
    expect(await page.getByLabel("地点").locator("option").count()).toBe(placeOptions);
    await page.getByRole("button", { name: "重试" }).click();
    await expect(error).toHaveCount(0);
    await expect(tiles(page).first()).toBeVisible();
    expect(searches.length).toBe(2);
    expect(JSON.parse(searches[1]!).q).toBe("boats");
    await context.close();
  });

  test("a failed next page is retried from where it stopped", async ({ page }) => {
    await open(page, "/?q=a+street&all=1");
    const searches = countSearches(page);
    let failures = 1;
    await page.route("**/api/search", (route) =>
      failures-- > 0
        ? route.fulfill({
            status: 500,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "internal", message: "boom" } }),
          })
        : route.continue(),
    );
    await page.mouse.wheel(0, 3000);
    await expect(page.getByTestId("error")).toContainText("The server ran into a problem.");
    await expect(tiles(page)).toHaveCount(30); // the first page (its unfinished last row held back), no more
    await page.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => tiles(page).count()).toBeGreaterThan(30);
    expect(searches.map((body) => JSON.parse(body).offset)).toEqual([30, 30]);
  });
});

test.describe("6. filters read like a photo app", () => {
  test("active filters as chips, rounded coordinates in text and URL, typed text explained, undated photos mentioned", async ({ page }) => {
    await open(page, "/?q=a+street&all=1");
    const place = page.getByLabel("Place");
    const option = place.locator("option", { hasText: /^Arezzo, Italy \(9\)$/ }); // places are named, with their counts
    await place.selectOption((await option.getAttribute("value"))!);
    await expect(page).toHaveURL(/near=43\.\d{1,4}%2C11\.\d{1,4}%2C10(&|$)/);
    const chips = page.getByTestId("filter-chips");
    await expect(chips).toContainText(/Within 10 km of 43\.\d\d, 11\.\d\d/);
    await expect(tiles(page)).toHaveCount(9);
    await expect(page.getByTestId("result-count")).toHaveText("9 photos · best matches first");
    await page.getByRole("button", { name: /Remove filter Within 10 km/ }).click();
    await expect(page).toHaveURL(/\?q=a\+street&all=1$/);
    // The URL changes at once; the filter bar follows when the router's search params catch up (it
    // is rebuilt for the new place), so type only once it shows no place.
    await expect(page.getByLabel("Coordinates")).toHaveValue("");

    await page.getByLabel("Coordinates").fill("Siena");
    await page.getByLabel("Coordinates").press("Enter");
    await expect(page.getByText("Type a latitude and longitude, for example 43.47, 11.88")).toBeVisible();
    await expect(page.getByLabel("Coordinates")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\?q=a\+street&all=1$/);
    // The radius waits for a place: typed text enables it, an empty field with no place does not.
    await page.getByLabel("Coordinates").fill("");
    await expect(page.getByLabel("Radius (km)")).toBeDisabled();

    await page.getByLabel("From", { exact: true }).fill("2008-10-22");
    await expect(chips).toContainText("From 22 Oct 2008");
    await expect(page.getByTestId("undated-note")).toHaveText("Photos without a capture date are left out while a date filter is on.");
    await shot(page, "desktop-light-filters");
  });

  test("in Chinese: place counts and chips in Chinese", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await open(page, "/?near=43.4671,11.882,10&folder=images");
    await expect(page.getByLabel("地点").locator("option", { hasText: /^Arezzo, 意大利（9 张）$/ })).toHaveCount(1);
    await expect(page.getByTestId("filter-chips")).toContainText("43.47, 11.88 周围 10 公里");
    await expect(page.getByTestId("filter-chips")).toContainText("文件夹：images");
    await context.close();
  });
});

test.describe("7. image queries are in history", () => {
  test("Back and reload restore an image query; More like this shows its photo", async ({ page }) => {
    const file = path.join(COCO, fs.readdirSync(COCO)[4]!);
    await open(page, "/?q=pizza&mode=text");
    const textIds = await tileIds(page);
    await drop(page, file);
    await expect(page).toHaveURL(/image=[0-9a-f]{32}/);
    await expect.poll(async () => (await tileIds(page))[0]).toBe(idOf(file));
    const imageIds = await tileIds(page);
    await page.getByLabel("Search photos").fill("a red bus");
    await page.getByLabel("Search photos").press("Enter");
    await expect(page).toHaveURL(/q=a\+red\+bus/);
    await page.goBack();
    await expect(page.getByTestId("image-chip")).toBeVisible();
    await expect.poll(() => tileIds(page)).toEqual(imageIds);
    await page.reload();
    await expect(page.getByTestId("image-chip")).toBeVisible();
    await expect.poll(() => tileIds(page)).toEqual(imageIds);
    await page.goBack();
    await expect(page).toHaveURL(/\?q=pizza&mode=text$/);
    await expect.poll(() => tileIds(page)).toEqual(textIds);

    await tiles(page).first().click();
    const name = await page.getByRole("dialog").getAttribute("aria-label");
    await page.getByRole("button", { name: "More like this", exact: true }).click();
    await expect(page.getByTestId("like-chip")).toContainText(`More like ${name}`);
    await expect(page.getByTestId("like-chip").locator("img")).toHaveAttribute("src", new RegExp(`/api/photos/${textIds[0]}/thumbnail`));
  });
});

test.describe("8. on a phone", () => {
  test("the header stays, targets are 44 px, uploads do not squash it, the browser option is tucked away", async ({ browser }) => {
    // Signed in (uploads are for signed-in users), then switched to Chinese, whose words are the narrowest test.
    const { context, page } = await phonePage(browser);
    await signIn(page);
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByLabel("搜索照片")).toBeVisible();
    await open(page, "/");
    const header = page.locator("header");
    const height = (await header.boundingBox())!.height;
    // A phone is served its first screens (13. below): the first flick reaches their end, the next goes on.
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, 3000);
        return page.evaluate(() => window.scrollY);
      })
      .toBeGreaterThan(1000);
    expect((await header.boundingBox())!.y).toBe(0);
    await expect(page.getByLabel("搜索照片")).toBeInViewport();
    const small = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>(
          "header a, header button, header input, header select, header label:has(input), header summary",
        ),
      )
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).position !== "absolute")
        .map((el) => ({ el: el.outerHTML.slice(0, 80), ...el.getBoundingClientRect().toJSON() }))
        .filter((r) => r.height < 44 && !r.el.includes("sr-only")),
    );
    expect(small).toEqual([]);
    await expect(page.getByTestId("browser-embedding")).toBeHidden();
    await page.getByTestId("upload").setInputFiles(path.join(FLICKR, fs.readdirSync(FLICKR)[20]!));
    await expect(page.getByTestId("uploads")).toContainText(/已添加|图库中已有/);
    expect((await header.boundingBox())!.height).toBe(height);
    const switchBox = (await page.getByRole("button", { name: "中文" }).boundingBox())!;
    expect(switchBox.width).toBeGreaterThan(switchBox.height); // one line, not a character per line
    await shot(page, "phone-light-zh-upload");
    await context.close();
  });
});

test.describe("9. a timeline", () => {
  test("browsing groups photos under month headings, with a year jump; searches can be ordered by date", async ({ page }) => {
    await open(page, "/");
    await expect(page.locator("section[data-month]").first()).toHaveAttribute("data-month", /^\d{4}-\d{2}$/);
    await expect(page.getByRole("heading", { name: "October 2008" })).toBeVisible();
    const jump = page.getByRole("navigation", { name: "Jump to year" });
    // Only years that hold photos, each with its count: the library spans 2008 to 2022 with photos
    // in 2008, 2015 and 2022 only, so no 2010 (it would jump to 2008's photos).
    await expect(jump.getByRole("button", { name: /^2015\s*: \d+ photos?$/ })).toBeVisible();
    await expect(jump.getByRole("button", { name: /^2010/ })).toHaveCount(0);
    const offered = await jump.getByRole("button").evaluateAll((els) => els.map((e) => Number(e.textContent?.slice(0, 4))));
    const { years } = (await (await page.request.get("/api/facets")).json()) as { years: { year: number }[] };
    expect(offered).toEqual(years.map((y) => y.year));
    await jump.getByRole("button", { name: "2008" }).click();
    await expect(page).toHaveURL(/to=2008-12-31/);
    await expect(page.locator("section[data-month]").first()).toHaveAttribute("data-month", /^2008-/);
    await shot(page, "desktop-light-timeline");

    await open(page, "/?q=a+street&all=1");
    await page.getByLabel("Order").selectOption("newest");
    await expect(page).toHaveURL(/order=newest/);
    await expect(page.getByTestId("result-count")).toContainText("newest first");
    await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
    // The relevant photos come first in date order, then (all=1) the less relevant ones under their
    // own heading, in their own date order: each list runs newest to oldest, undated last.
    const sections = await page
      .locator("section[data-month]")
      .evaluateAll((els) =>
        els.map((e) => ({ month: e.getAttribute("data-month") ?? "", less: e.closest("[data-group=less-relevant]") !== null })),
      );
    const lists = [false, true].map((less) => sections.filter((section) => section.less === less).map((section) => section.month));
    expect(lists[0]!.length).toBeGreaterThan(0);
    for (const months of lists) {
      const dated = months.filter(Boolean);
      expect(dated).toEqual([...dated].sort().reverse());
      expect(months.slice(dated.length).every((month) => month === "")).toBe(true); // undated last, under their own heading
    }
    expect(lists.flat()).toContain("");
    await shot(page, "desktop-light-search-by-date");
  });
});

test.describe("10. uploads", () => {
  test("several files at once, each with its outcome and a link to the photo", async ({ page }) => {
    const files = fs
      .readdirSync(FLICKR)
      .slice(30, 32)
      .map((f) => path.join(FLICKR, f));
    const duplicate = path.join(COCO, fs.readdirSync(COCO)[0]!);
    await signIn(page);
    await page.getByTestId("upload").setInputFiles([...files, duplicate]);
    const list = page.getByTestId("uploads");
    for (const file of files) await expect(list.locator("li", { hasText: path.basename(file) })).toContainText("Added");
    await expect(list.locator("li", { hasText: path.basename(duplicate) })).toContainText("Already in the library");
    await shot(page, "desktop-light-uploads");
    await list
      .locator("li", { hasText: path.basename(files[0]!) })
      .getByRole("link", { name: "View" })
      .click();
    await expect(page.getByRole("dialog")).toHaveAttribute("data-photo-id", idOf(files[0]!));
  });
});

test.describe("12. browser embedding assets", () => {
  test("the WASM runtime is cached immutably under a versioned URL with its length, model files revalidate, loading starts on opt-in", async ({
    page,
  }) => {
    await open(page, "/"); // no text query: only opting in can start the download
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.getByText("Options").click();
    await page.getByTestId("browser-embedding").check();
    // Loading starts on opting in, before any query is embedded.
    await expect.poll(() => requests.some((u) => u.includes("/api/models/"))).toBe(true);
    await expect.poll(() => requests.some((u) => u.endsWith(".wasm")), { timeout: 30_000 }).toBe(true);
    const wasmUrl = requests.find((u) => u.endsWith(".wasm"));
    expect(wasmUrl).toMatch(/\/ort\/\d+\.\d+\.\d+[^/]*\/ort-wasm-simd-threaded\.asyncify\.wasm$/);
    const response = await page.request.get(wasmUrl!, { headers: { "accept-encoding": "identity" } });
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(Number(response.headers()["content-length"])).toBeGreaterThan(1_000_000);
    // Model files revalidate by ETag, and tell their size as the hub does, by a one-byte range
    // (Next 16 drops a route handler's Content-Length): transformers.js reports real progress.
    const model = requests.find((u) => u.includes("/api/models/") && u.endsWith(".onnx"))!;
    const whole = await page.request.get(model);
    const etag = whole.headers()["etag"];
    expect(etag).toBeTruthy();
    const size = (await whole.body()).length;
    const head = await page.request.get(model, { headers: { range: "bytes=0-0" } });
    expect(head.status()).toBe(206);
    expect(head.headers()["content-range"]).toBe(`bytes 0-0/${size}`);
    expect((await head.body()).length).toBe(1);
    expect((await page.request.get(model, { headers: { "if-none-match": etag! } })).status()).toBe(304);
    expect(requests.filter((u) => u.endsWith("/api/search"))).toEqual([]);
  });
});

test.describe("13. the first page is not fetched twice", () => {
  for (const url of ["/", "/?q=pizza&mode=text", "/?q=a+street&order=newest"]) {
    test(`no search request on loading ${url}`, async ({ page }) => {
      const searches = countSearches(page);
      await open(page, url);
      await page.waitForLoadState("networkidle");
      await expect(tiles(page).first()).toBeVisible();
      expect(searches).toEqual([]);
    });
  }
});

test.describe("13. a phone is served its first screens", () => {
  // A phone's browser says so in its user agent (and Chromium's in the Sec-CH-UA-Mobile hint).
  const ANDROID =
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36";

  test("12 photos in the HTML, nothing more fetched before the user scrolls, then the next pages", async ({ browser }) => {
    const context = await browser.newContext({ ...PHONE, userAgent: ANDROID });
    const page = await context.newPage();
    const searches = countSearches(page);
    await open(page, "/");
    await page.waitForLoadState("networkidle");
    await expect(tiles(page)).toHaveCount(12);
    expect(searches).toEqual([]);
    await page.mouse.wheel(0, 3000);
    await expect.poll(() => tiles(page).count()).toBeGreaterThan(12);
    expect(JSON.parse(searches[0]!)).toMatchObject({ offset: 12, k: 30 });
    await context.close();
  });

  test("a phone's count is the search's, not its shorter first page's", async ({ browser, page }) => {
    await open(page, "/?q=a+street");
    const desktop = await page.getByTestId("result-count").textContent();
    const context = await browser.newContext({ ...PHONE, userAgent: ANDROID });
    const phone = await context.newPage();
    await open(phone, "/?q=a+street");
    await expect(phone.getByTestId("result-count")).toHaveText(desktop!);
    await context.close();
  });

  test("a desktop is served a full page", async ({ page }) => {
    await open(page, "/");
    await expect(tiles(page)).toHaveCount(30);
  });
});
