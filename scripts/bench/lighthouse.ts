/**
 * Section 11: the gallery in Lighthouse (mobile preset: a mid-range phone on a throttled network,
 * simulated), on Debian's Chromium, against the production server on real photos (coco-mini and the
 * GPS samples, embedded with the test model). The home page and a query URL, each beside the empty
 * library's home page measured in the same run (the app with nothing to show: the baseline).
 *
 * Each page is measured with the stock mobile preset (4× CPU slowdown, whatever the host) and
 * calibrated (the slowdown Lighthouse's docs prescribe for the host's benchmarkIndex, see
 * cpu-calibration.ts), so that a host slower or faster than the preset assumes still emulates its phone.
 */
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { calibratedCpuMultiplier } from "./cpu-calibration";

/** What the audits say about where the time goes (to find what to fix, not scored). */
export interface LighthouseBreakdown {
  /** The LCP element as Lighthouse names it (its label, or a snippet of its HTML). */
  lcpElement?: string;
  /** LCP's phases (ms, simulated): time to first byte, load delay, load time, render delay. */
  lcpPhasesMs?: { ttfb: number; loadDelay: number; loadTime: number; renderDelay: number };
  /** The document's server response time as observed (not simulated). */
  serverResponseMs: number;
  /** Main-thread work and script evaluation (bootup), simulated. */
  mainThreadMs: number;
  bootupMs: number;
  /** JavaScript transferred, and the part of it unused during the load (kB). */
  scriptKb: number;
  unusedScriptKb: number;
}

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
   * assumes a desktop of about 1000-1500 slowed 4×): on a loaded shared machine it falls, and TBT rises with it.
   */
  benchmarkIndex: number;
  /** The CPU slowdown this run simulated (4 in the stock mobile preset). */
  cpuSlowdownMultiplier: number;
  breakdown?: LighthouseBreakdown;
  /** Every run's performance score, lowest first (the figures above are the median run's). */
  performanceRuns?: number[];
}

/** A page's stock-preset figures, with the calibrated run's beside them. */
export type PageFigures = LighthouseFigures & { calibrated?: LighthouseFigures };

/** The stock mobile preset's CPU slowdown. */
const STOCK_MULTIPLIER = 4;

/**
 * Runs Lighthouse `runs` times on each page with the stock mobile preset, the pages in turn (so a
 * burst of load on the shared machine does not fall on one page only); then calibrates the host once,
 * as Lighthouse's docs describe (one multiplier for the device, from the median benchmarkIndex of
 * those runs: a single run's index swings with the load), and runs every page as often again with
 * that CPU slowdown. Keeps each page's median run of each kind by performance, as Lighthouse's
 * guidance on variability advises; their reports go to `reportDir` (HTML and JSON).
 */
export async function lighthouseRuns(
  pages: { name: string; url: string }[],
  runs: number,
  reportDir?: string,
  log: (message: string) => void = () => {},
): Promise<PageFigures[]> {
  const stock = await rounds(pages, runs, STOCK_MULTIPLIER, log);
  const indexes = [...stock.values()].flat().map((run) => run.figures.benchmarkIndex);
  const hostIndex = indexes.sort((a, b) => a - b)[Math.floor(indexes.length / 2)]!;
  const multiplier = calibratedCpuMultiplier(hostIndex) ?? 1;
  log(`benchmarkIndex ${indexes.join(", ")}: median ${hostIndex}, calibrated CPU slowdown ${multiplier}×`);
  const calibrated = await rounds(pages, runs, multiplier, log);
  return pages.map(({ name }) => ({
    ...median(stock.get(name)!, name, "stock", reportDir),
    calibrated: median(calibrated.get(name)!, name, "calibrated", reportDir),
  }));
}

/** `runs` rounds over the pages at one CPU slowdown: each page's runs, by name. */
async function rounds(pages: { name: string; url: string }[], runs: number, multiplier: number, log: (message: string) => void) {
  const all = new Map<string, Run[]>(pages.map(({ name }) => [name, []]));
  for (let i = 0; i < runs; i++)
    for (const page of pages) {
      const run = await lighthouseRunRetried(page, multiplier, log);
      log(`${page.name}, ${multiplier}×: performance ${run.figures.performance} (benchmarkIndex ${run.figures.benchmarkIndex})`);
      all.get(page.name)!.push(run);
    }
  return all;
}

interface Run {
  figures: LighthouseFigures;
  report: string;
  lhr: unknown;
}

function median(runs: Run[], name: string, kind: string, reportDir?: string): LighthouseFigures {
  const sorted = [...runs].sort((a, b) => a.figures.performance - b.figures.performance);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  if (reportDir) {
    fs.mkdirSync(reportDir, { recursive: true });
    const base = path.join(reportDir, `${name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}-${kind}`);
    fs.writeFileSync(`${base}.html`, middle.report);
    fs.writeFileSync(`${base}.json`, JSON.stringify(middle.lhr));
  }
  return { ...middle.figures, performanceRuns: sorted.map((r) => r.figures.performance) };
}

/**
 * A run, repeated (twice at most) when Lighthouse could not read its own trace (a runtime error such
 * as NO_NAVSTART, which a loaded machine provokes): that run has no figures, and its performance of 0
 * would count as the page's.
 */
async function lighthouseRunRetried(page: { name: string; url: string }, multiplier: number, log: (message: string) => void): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const run = await lighthouseRun(page, multiplier);
    const error = (run.lhr as { runtimeError?: { code?: string } }).runtimeError;
    if (!error || attempt === 3) return run;
    log(`${page.name}, ${multiplier}×: Lighthouse's runtime error ${error.code}: measured again`);
  }
}

/** One Lighthouse run in a fresh Chromium (no cache or state from an earlier run). */
async function lighthouseRun({ name, url }: { name: string; url: string }, cpuSlowdownMultiplier: number): Promise<Run> {
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
      // The mobile preset's network and screen; only the CPU slowdown changes (the same setting as the CLI's --throttling.cpuSlowdownMultiplier).
      throttling: { cpuSlowdownMultiplier },
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
      cpuSlowdownMultiplier: lhr.configSettings.throttling.cpuSlowdownMultiplier,
      breakdown: breakdownOf(lhr.audits),
    };
    const report = Array.isArray(result.report) ? result.report.join("") : result.report;
    return { figures, report, lhr };
  } finally {
    chrome.kill();
  }
}

type Audits = Record<string, { numericValue?: number; details?: unknown } | undefined>;
type Details = { type?: string; items?: Details[]; overallSavingsBytes?: number } & Record<string, unknown>;

/** Reads the breakdown from the audits' details (Lighthouse 12's shapes; a missing part stays undefined). */
function breakdownOf(audits: Audits): LighthouseBreakdown {
  const details = (id: string) => audits[id]?.details as Details | undefined;
  const [element, phases] = details("largest-contentful-paint-element")?.items ?? [];
  const node = (element?.items?.[0] as { node?: { nodeLabel?: string; snippet?: string } } | undefined)?.node;
  // The phase table lists TTFB, load delay, load time and render delay, in that order.
  const timings = (phases?.items ?? []).map((row) => Math.round(Number((row as { timing?: number }).timing)));
  const scripts = details("resource-summary")?.items?.find((row) => row.resourceType === "script") as { transferSize?: number } | undefined;
  const kb = (bytes: number | undefined) => Math.round((bytes ?? 0) / 1024);
  return {
    lcpElement: node ? (node.nodeLabel ?? node.snippet) : undefined,
    lcpPhasesMs:
      timings.length === 4 ? { ttfb: timings[0]!, loadDelay: timings[1]!, loadTime: timings[2]!, renderDelay: timings[3]! } : undefined,
    serverResponseMs: Math.round(audits["server-response-time"]?.numericValue ?? Number.NaN),
    mainThreadMs: Math.round(audits["mainthread-work-breakdown"]?.numericValue ?? Number.NaN),
    bootupMs: Math.round(audits["bootup-time"]?.numericValue ?? Number.NaN),
    scriptKb: kb(scripts?.transferSize),
    unusedScriptKb: kb(details("unused-javascript")?.overallSavingsBytes),
  };
}
