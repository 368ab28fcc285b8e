/** What the gallery's browser tests share: opening a page once it is interactive, tiles, screenshots, files. */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const SHARED = path.resolve(process.env.SHARED_DIR ?? "../shared");
export const COCO = path.join(SHARED, "datasets/coco-mini/images/val2017");
export const FLICKR = path.join(SHARED, "datasets/flickr8k-1k/images");
export const GPS = path.join(SHARED, "datasets/exif-gps-samples/images");
export const SCREENSHOTS = "artifacts/screenshots";

/** The index-th Flickr8k photo (by file name): a photo the e2e library does not hold yet, to upload. */
export const flickrPhoto = (index: number) => path.join(FLICKR, fs.readdirSync(FLICKR)[index]!);
export const idOf = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 32);
export const tiles = (page: Page) => page.getByTestId("results").locator("a[data-photo-id]");
export const firstTileId = (page: Page) => tiles(page).first().getAttribute("data-photo-id");
export const tileIds = (page: Page) => tiles(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-photo-id")));

/** Opens a page and waits until React has attached its listeners (drop, paste, keys). */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await page.locator("[data-hydrated]").waitFor();
}

/** Saves a screenshot once the page's images have loaded. */
export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState("networkidle");
  await page.evaluate(() =>
    Promise.all(
      Array.from(document.images)
        .filter((i) => !i.complete && i.loading !== "lazy")
        .map((i) => new Promise((r) => (i.onload = i.onerror = r))),
    ),
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** A file the browser holds in a DataTransfer, as a drop or a paste would carry it. */
export async function transfer(page: Page, file: string, name = "query.jpg", type = "image/jpeg") {
  const base64 = fs.readFileSync(file).toString("base64");
  return page.evaluateHandle(
    ({ b64, name, type }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], name, { type }));
      return data;
    },
    { b64: base64, name, type },
  );
}

/** Drops a file on the page as a user dragging it from the desktop would. */
export async function drop(page: Page, file: string, name?: string, type?: string) {
  const data = await transfer(page, file, name, type);
  const target = page.locator("main");
  await target.dispatchEvent("dragenter", { dataTransfer: data });
  await target.dispatchEvent("dragover", { dataTransfer: data });
  await target.dispatchEvent("drop", { dataTransfer: data });
}

/** Uploads a file with the header's upload control as a signed-in user; the list reports it added and the library serves it. */
export async function uploadPhoto(page: Page, file: string) {
  await page.getByTestId("upload").setInputFiles(file);
  // The upload list names each file with its outcome.
  await expect(page.getByTestId("uploads").locator("li[data-state=added]")).toContainText("Added");
  expect((await page.request.get(`/api/photos/${idOf(file)}`)).status()).toBe(200);
}

/** Reloads the gallery and checks the session survived it (the header offers Sign out). */
export async function reloadStillSignedIn(page: Page) {
  await page.reload();
  await page.locator("[data-hydrated]").waitFor();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}
