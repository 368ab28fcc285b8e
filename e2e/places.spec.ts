/**
 * Places in a real browser: the map view of the library (clusters with counts and a photo), zooming
 * to Tuscany restricts a text query to the map's area (in the URL, restored on reload), a place typed
 * into the query becomes a chip, and the photo view names the place and shows a small map. Same
 * library and test model as gallery.spec.ts (coco-mini without GPS, exif-gps-samples with it).
 */
import { expect, test, type Page } from "@playwright/test";
import { open, shot, tiles } from "./helpers";

/** The shown photos' ids, once the search has answered (the previous results stay on screen, dimmed, while it loads). */
async function tileIds(page: Page): Promise<string[]> {
  await expect(page.getByTestId("results")).not.toHaveAttribute("data-stale", "true");
  return tiles(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-photo-id")!));
}
const TUSCANY = { lat: 43.467, lon: 11.882, radiusKm: 10 };

/** Great-circle distance (haversine), to check a drawn circle independently of the app's code. */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

/** The nine Tuscany photos' ids, as the API finds them by radius. */
async function tuscanyIds(page: Page): Promise<Set<string>> {
  const response = await page.request.post("/api/search", { data: { filters: { near: TUSCANY }, k: 50 } });
  const body = (await response.json()) as { hits: { id: string }[] };
  expect(body.hits).toHaveLength(9);
  return new Set(body.hits.map((h) => h.id));
}

/** Clicks the cluster holding the Tuscany photos, which zooms the map in on it. */
/** Browsing with the map open (the library's clusters, not a search's first page): the map and the Tuscany cluster's centre on screen. */
async function openMapAtTuscanyCluster(page: Page) {
  await open(page, "/?map=1");
  const map = page.getByTestId("place-map");
  const cluster = map.locator('[data-testid="map-cluster"][data-count="9"]');
  await expect(cluster).toHaveCount(1);
  const around = (await cluster.boundingBox())!;
  return { map, centre: { x: around.x + around.width / 2, y: around.y + around.height / 2 } };
}

async function zoomIntoTuscany(page: Page) {
  const cluster = page.getByTestId("place-map").locator('[data-testid="map-cluster"][data-count="9"]');
  await cluster.first().click();
}

test.describe("places", () => {
  test("map: zoom to Tuscany, search, only Tuscany photos; the URL restores it", async ({ page }) => {
    const tuscany = await tuscanyIds(page);
    await open(page, "/?map=1");
    const map = page.getByTestId("place-map");
    await expect(map.getByTestId("map-cluster")).not.toHaveCount(0);
    await expect(map.locator('[data-testid="map-cluster"][data-count="9"]')).toHaveCount(1);
    await shot(page, "places-map-library");
    // Two clicks on the cluster: the map zooms in on Arezzo, and the area follows into the URL.
    await zoomIntoTuscany(page);
    await expect(page).toHaveURL(/box=/);
    await zoomIntoTuscany(page);
    await expect(page.getByTestId("chip-area")).toBeVisible();
    await expect(async () => {
      const ids = await tileIds(page);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(tuscany.has(id)).toBe(true);
    }).toPass();

    await page.getByRole("searchbox").fill("a street");
    await page.getByRole("searchbox").press("Enter");
    await expect(page).toHaveURL(/q=a\+street/);
    await expect(page).toHaveURL(/box=/);
    await expect(page.getByTestId("results")).toBeVisible();
    const found = await tileIds(page);
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) expect(tuscany.has(id), `${id} is a Tuscany photo`).toBe(true);
    await shot(page, "places-area-query-light");

    // The URL alone restores the area, the query and the open map.
    const url = page.url();
    await open(page, url);
    await expect(page.getByTestId("place-map")).toBeVisible();
    await expect(page.getByTestId("chip-area")).toBeVisible();
    await expect.poll(async () => (await tileIds(page)).sort()).toEqual([...found].sort());

    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "places-area-query-dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "places-area-query-phone");

    // Removing the area chip searches everywhere again.
    await page.getByTestId("chip-area").getByRole("button").click();
    await expect(page).not.toHaveURL(/box=/);
  });

  test("draw an area on the map: only photos inside it, the URL keeps it", async ({ page }) => {
    const tuscany = await tuscanyIds(page);
    const { map, centre } = await openMapAtTuscanyCluster(page);

    // At the world view 30 px is about 10 degrees: a box around Tuscany that leaves Madrid and Helsinki out.
    await page.getByTestId("map-draw").click();
    await expect(page.getByTestId("map-draw")).toHaveAttribute("aria-pressed", "true");
    await page.mouse.move(centre.x - 30, centre.y - 30);
    await page.mouse.down();
    await page.mouse.move(centre.x, centre.y, { steps: 4 });
    await page.mouse.move(centre.x + 30, centre.y + 30, { steps: 4 });
    await page.mouse.up();

    await expect(page).toHaveURL(/box=/);
    const [top, left, bottom, right] = new URL(page.url()).searchParams.get("box")!.split(",").map(Number);
    expect(top! > 43.47 && bottom! < 43.46 && left! < 11.87 && right! > 11.89, `box ${top},${left},${bottom},${right} holds Arezzo`).toBe(
      true,
    );
    expect(left! > -3 && top! < 60, "Madrid and Helsinki are outside the drawn box").toBe(true);
    await expect(page.getByTestId("chip-area")).toBeVisible();
    await expect(page.getByTestId("map-draw")).toHaveAttribute("aria-pressed", "false");
    await expect(map.locator(".map-drawn-box")).toHaveCount(1);
    await expect.poll(async () => new Set(await tileIds(page))).toEqual(tuscany);
    await shot(page, "places-drawn-area");

    // Panning now keeps the drawn box; the checkbox takes the map's area again.
    await expect(page.getByTestId("map-follow")).not.toBeChecked();
    const drawnUrl = page.url();
    await open(page, drawnUrl);
    await expect.poll(async () => new Set(await tileIds(page))).toEqual(tuscany);
  });

  test("draw a circle on the map: a radius chip, in the URL, and a query finds only photos inside it", async ({ page }) => {
    const tuscany = await tuscanyIds(page);
    const { map, centre } = await openMapAtTuscanyCluster(page);

    // From the Tuscany cluster 30 px out: at the world view a radius of several hundred km, short
    // of Madrid (1,330 km) and Helsinki (2,050 km). A press on the cluster draws, not zooms.
    await page.getByTestId("map-draw-circle").click();
    await expect(page.getByTestId("map-draw-circle")).toHaveAttribute("aria-pressed", "true");
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + 15, centre.y, { steps: 4 });
    await page.mouse.move(centre.x + 30, centre.y, { steps: 4 });
    await page.mouse.up();

    await expect(page).toHaveURL(/near=/);
    expect(new URL(page.url()).searchParams.has("box"), "a drawn circle is the area: no box").toBe(false);
    const [lat, lon, radiusKm] = new URL(page.url()).searchParams.get("near")!.split(",").map(Number);
    const from = (place: { lat: number; lon: number }) => Math.round(distanceKm(lat!, lon!, place.lat, place.lon));
    const [arezzo, madrid, helsinki] = [from(TUSCANY), from({ lat: 40.447, lon: -3.725 }), from({ lat: 60.147, lon: 24.907 })];
    expect(
      arezzo < radiusKm! && radiusKm! < madrid && radiusKm! < helsinki,
      `r ${radiusKm} km: Arezzo ${arezzo}, Madrid ${madrid}, Helsinki ${helsinki} km`,
    ).toBe(true);
    await expect(page.getByTestId("chip-near")).toBeVisible();
    await expect(page.getByTestId("map-draw-circle")).toHaveAttribute("aria-pressed", "false");
    await expect(map.locator(".map-drawn-circle")).toHaveCount(1);
    await expect(page.getByTestId("map-follow")).not.toBeChecked();
    await expect.poll(async () => new Set(await tileIds(page))).toEqual(tuscany);

    // A text query keeps the circle; the radius filter runs inside the kNN, so the Tuscany photos fill the page.
    await page.getByRole("searchbox").fill("a street");
    await page.getByRole("searchbox").press("Enter");
    await expect(page).toHaveURL(/q=a\+street/);
    await expect(page).toHaveURL(/near=/);
    const found = await tileIds(page);
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) expect(tuscany.has(id), `${id} is a Tuscany photo`).toBe(true);
    await expect(map.locator(".map-drawn-circle")).toHaveCount(1);
    await shot(page, "places-drawn-circle-light");

    // The URL alone restores the circle, the query and the open map.
    await open(page, page.url());
    await expect(page.getByTestId("chip-near")).toBeVisible();
    await expect(page.getByTestId("place-map").locator(".map-drawn-circle")).toHaveCount(1);
    await expect.poll(async () => (await tileIds(page)).sort()).toEqual([...found].sort());
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "places-drawn-circle-dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "places-drawn-circle-phone");

    // Removing the chip searches everywhere again, and the outline goes.
    await page.getByTestId("chip-near").getByRole("button").click();
    await expect(page).not.toHaveURL(/near=/);
    await expect(page.getByTestId("place-map").locator(".map-drawn-circle")).toHaveCount(0);
  });

  test("a place typed into the query becomes a removable chip", async ({ page }) => {
    const tuscany = await tuscanyIds(page);
    await open(page, "/?q=street+in+Arezzo");
    const chip = page.getByTestId("chip-place");
    await expect(chip).toHaveText(/Arezzo/);
    await expect(page.getByTestId("chip-positive")).toHaveText(/street/);
    const ids = await tileIds(page);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(tuscany.has(id)).toBe(true);
    await shot(page, "places-query-chip");
    await chip.getByRole("button").click();
    await expect(page).toHaveURL(/\?q=street$/);
  });

  test("word search finds places by name, and the photo view names the place with a small map", async ({ page }) => {
    const tuscany = await tuscanyIds(page);
    await open(page, `/?q=${encodeURIComponent("意大利")}&mode=text`);
    await expect.poll(async () => new Set(await tileIds(page))).toEqual(tuscany);
    await tiles(page).first().click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Arezzo, Italy");
    await expect(dialog.getByTestId("photo-map")).toBeVisible();
    await shot(page, "places-photo-view");
  });
});
