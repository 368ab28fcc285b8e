/**
 * axe (WCAG 2.1 AA rules, through @axe-core/playwright) finds nothing on every screen of the gallery:
 * the main page, search results, the open photo view, the filters open, the empty library; in light
 * and dark, English and Chinese, on a desktop and a phone. Each screen is saved to
 * artifacts/screenshots as it was checked.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { EMPTY_URL } from "../playwright.config";
import { open, shot, tiles } from "./helpers";

const DEVICES = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;

async function expectNoViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const summary = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe on ${screen}`).toEqual([]);
}

for (const device of ["desktop", "phone"] as const) {
  for (const scheme of ["light", "dark"] as const) {
    for (const lang of ["en", "zh"] as const) {
      test(`axe finds nothing: ${device}, ${scheme}, ${lang}`, async ({ browser }) => {
        test.setTimeout(240_000); // five screens, each scanned and saved
        const context = await browser.newContext({ ...DEVICES[device], colorScheme: scheme, locale: lang === "zh" ? "zh-CN" : "en-US" });
        const page = await context.newPage();
        const name = (screen: string) => `${device}-${scheme}-${lang}-${screen}`;

        await open(page, "/");
        await expect(tiles(page).first()).toBeVisible();
        await shot(page, name("browse"));
        await expectNoViolations(page, name("browse"));

        await open(page, "/?q=a+plate+of+food");
        await expect(tiles(page).first()).toBeVisible();
        await shot(page, name("results"));
        await expectNoViolations(page, name("results"));

        if (device === "phone") await page.locator("button[aria-controls=filters]").click();
        await page.locator("details summary").click(); // the options too
        await expect(page.getByTestId("filters")).toBeVisible();
        await shot(page, name("filters"));
        await expectNoViolations(page, name("filters"));

        await tiles(page).first().click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await shot(page, name("photo-view"));
        await expectNoViolations(page, name("photo-view"));

        await open(page, EMPTY_URL);
        await expect(page.getByTestId("empty")).toBeVisible();
        await shot(page, name("empty"));
        await expectNoViolations(page, name("empty"));
        await context.close();
      });
    }
  }
}
