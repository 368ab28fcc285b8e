/**
 * Section 7: the gallery in Lighthouse (mobile preset: a mid-range phone on a throttled network,
 * simulated), on Debian's Chromium, against the production server on real photos (coco-mini and the
 * GPS samples, embedded with the test model). The home page and a query URL, each beside the empty
 * library's home page measured in the same run (the app with nothing to show: the baseline).
 */
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

export interface LighthouseFigures {
  page: string;
  performance: number;
  accessibility: number;
  cls: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  /** Accessibility audits that did not pass, by id (should be none). */
  failedAudits: string[];
}

export async function lighthouseRuns(pages: { name: string; url: string }[]): Promise<LighthouseFigures[]> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const figures: LighthouseFigures[] = [];
    for (const { name, url } of pages) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
      });
      const lhr = result?.lhr;
      if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
      const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
      const accessibilityIds = lhr.categories.accessibility?.auditRefs.map((ref) => ref.id) ?? [];
      figures.push({
        page: name,
        performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
        cls: Math.round(audit("cumulative-layout-shift") * 1000) / 1000,
        lcpMs: Math.round(audit("largest-contentful-paint")),
        tbtMs: Math.round(audit("total-blocking-time")),
        fcpMs: Math.round(audit("first-contentful-paint")),
        failedAudits: accessibilityIds.filter((id) => lhr.audits[id]?.score === 0),
      });
    }
    return figures;
  } finally {
    chrome.kill();
  }
}
