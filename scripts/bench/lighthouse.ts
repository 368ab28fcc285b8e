/**
 * Section 11: the gallery in Lighthouse (mobile preset: a mid-range phone on a throttled network,
 * simulated), on Debian's Chromium, against the production server on real photos (coco-mini and the
 * GPS samples, embedded with the test model). The home page and a query URL, each beside the empty
 * library's home page measured in the same run (the app with nothing to show: the baseline).
 */
import fs from "node:fs";
import path from "node:path";
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
  /**
   * Lighthouse's CPU benchmark of this machine during the run (higher is faster; its mobile preset
   * assumes a desktop of about 1000 slowed 4×): on a loaded shared machine it falls, and TBT rises with it.
   */
  benchmarkIndex: number;
  /** Every run's performance score, lowest first (the figures above are the median run's). */
  performanceRuns?: number[];
}

/**
 * Runs Lighthouse `runs` times on each page, the pages in turn (so a burst of load on the shared
 * machine does not fall on one page only), and keeps each page's median run by performance, as
 * Lighthouse's own guidance on variability advises. The median runs' reports go to `reportDir`
 * (HTML and JSON, to read what Lighthouse found).
 */
export async function lighthouseRuns(
  pages: { name: string; url: string }[],
  runs: number,
  reportDir?: string,
): Promise<LighthouseFigures[]> {
  const all = new Map<string, { figures: LighthouseFigures; report: string; lhr: unknown }[]>();
  for (let i = 0; i < runs; i++)
    for (const page of pages) {
      const one = await lighthouseRun(page);
      all.set(page.name, [...(all.get(page.name) ?? []), one]);
    }
  return pages.map(({ name }) => {
    const sorted = [...all.get(name)!].sort((a, b) => a.figures.performance - b.figures.performance);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    if (reportDir) {
      fs.mkdirSync(reportDir, { recursive: true });
      const base = path.join(reportDir, name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, ""));
      fs.writeFileSync(`${base}.html`, median.report);
      fs.writeFileSync(`${base}.json`, JSON.stringify(median.lhr));
    }
    return { ...median.figures, performanceRuns: sorted.map((r) => r.figures.performance) };
  });
}

/** One Lighthouse run in a fresh Chromium (no cache or state from an earlier run). */
async function lighthouseRun({ name, url }: { name: string; url: string }) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "html",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility"],
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const accessibilityIds = lhr.categories.accessibility?.auditRefs.map((ref) => ref.id) ?? [];
    const figures: LighthouseFigures = {
      page: name,
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      cls: Math.round(audit("cumulative-layout-shift") * 1000) / 1000,
      lcpMs: Math.round(audit("largest-contentful-paint")),
      tbtMs: Math.round(audit("total-blocking-time")),
      fcpMs: Math.round(audit("first-contentful-paint")),
      failedAudits: accessibilityIds.filter((id) => lhr.audits[id]?.score === 0),
      benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    };
    const report = Array.isArray(result.report) ? result.report.join("") : result.report;
    return { figures, report, lhr };
  } finally {
    chrome.kill();
  }
}
