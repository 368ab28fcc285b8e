import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { stat } from "./measure";
import {
  ANALYSIS_MARKER,
  GALLERY_HEADING,
  keepSection,
  markdown,
  SOAK_HEADING,
  soakSection,
  spliceSection,
  withGallerySection,
} from "./report";

const run = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/quick-run.json"), "utf8"));

test("the report has all five sections with no missing figures", () => {
  const doc = markdown(run);
  for (const heading of [
    "## 1. Vector search",
    "## 2. Ingest throughput",
    "## 3. Query embedding latency",
    "## 4. End-to-end API under load",
    "## 5. Retrieval quality",
  ]) {
    assert.ok(doc.includes(heading), heading);
  }
  assert.doesNotMatch(doc, /undefined|NaN|\[object Object\]/);
  // Section 5 on the random model: parity, the fp32/int8 agreement and all four pairings of towers.
  assert.match(doc, /\| image \| fp32 \| \d+ \| \*\*[\d.]+\*\* \|/);
  assert.equal(doc.split("\n").filter((line) => /^\| (fp32|q8) \| (fp32|q8) \| [\d.]+ \|/.test(line)).length, 4);
  // Pipeline time not spent embedding or indexing is shown as waiting for decode.
  const fp32 = run.ingest.runs[0];
  const waiting = ((fp32.pipeline.totalMs - fp32.pipeline.embedMs - fp32.pipeline.indexMs) / 1000).toFixed(1);
  assert.ok(doc.includes(`/ ${waiting} s |`), `waiting ${waiting} s`);
});

test("a previous run appears beside this one, and the hand-written analysis is kept verbatim", () => {
  const analysis = `${ANALYSIS_MARKER}\n\n## Analysis\n\nHand-written text.\n`;
  const earlier = { ...run, started: "2026-01-02T03:04:05.000Z" };
  const doc = markdown(run, [earlier], analysis);
  assert.ok(doc.endsWith(analysis));
  const row = doc.split("\n").find((line) => line.startsWith("| embedded exact 100k p50 ÷ bandwidth floor"));
  assert.equal(row?.split("|").length, 6, row); // figure, this run, the earlier run, spread
  assert.ok(row?.endsWith("| ×1.00 |"), row); // the same figures twice: no spread
  assert.ok(doc.includes("2026-01-02 03:04"));
});

test("percentiles come from the sorted samples", () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(stat(samples), { p50: 51, p95: 96, runs: 100 });
});

test("section 8 (the soak, measured on its own) is written in place and survives a full run's rewrite", () => {
  const result = (requests: number, uploads: number) => ({
    seconds: 60,
    requests,
    searches: requests - uploads,
    uploads,
    statuses: { 200: requests },
    failures: [],
    searchMs: { p50: 12.5, p95: 40, p99: 80 },
    rssMb: { before: 300, peak: 350, after: 320 },
  });
  const soak = {
    library: 120,
    libraryAfter: 170,
    searchers: 6,
    baseline: result(900, 0),
    soak: result(1200, 50),
    rssIdleMb: 310,
    idleSeconds: 15,
  };
  const doc = spliceSection(markdown(run), soakSection(soak, "Measured on its own."), SOAK_HEADING);
  assert.ok(doc.indexOf(SOAK_HEADING) < doc.indexOf("## Reproducibility"));
  assert.match(doc, /\| soak: searches \+ uploads \| 60 \| 1,200 \| 1,150 \| 50 \| 0 \| 19\.2 \| 12\.5 \/ 40 \/ 80 \| 300 → 350 → 320 \|/);
  assert.match(doc, /170 photos in the library \(120 \+ 50 uploads, each present once\)/);
  assert.doesNotMatch(doc, /undefined|NaN|\[object Object\]/);
  const rewritten = keepSection(doc, markdown(run), SOAK_HEADING);
  assert.equal(rewritten.split(SOAK_HEADING).length, 2, "once");
  assert.ok(rewritten.includes("| baseline: searches only | 60 | 900 |"));
  assert.equal(keepSection(doc, rewritten, SOAK_HEADING), rewritten, "stable");
});

test("section 11 (the gallery in Lighthouse) is written in place, after the soak, whichever is measured first", () => {
  const gallery = {
    lighthouse: "12.8.2",
    chromium: "Chromium 156",
    photos: 170,
    measured: "2026-12-02T04:00:00.000Z",
    loadAverage: 3.2,
    runs: 3,
    pages: [
      {
        page: "baseline: empty library, home",
        performance: 99,
        accessibility: 100,
        cls: 0,
        lcpMs: 1200,
        tbtMs: 10,
        fcpMs: 900,
        failedAudits: [],
        benchmarkIndex: 300,
        cpuSlowdownMultiplier: 4,
        performanceRuns: [97, 99, 99],
        breakdown: {
          lcpElement: "a plate of food",
          lcpPhasesMs: { ttfb: 600, loadDelay: 100, loadTime: 300, renderDelay: 200 },
          serverResponseMs: 40,
          mainThreadMs: 1500,
          bootupMs: 800,
          scriptKb: 180,
          unusedScriptKb: 60,
        },
        calibrated: {
          page: "baseline: empty library, home",
          performance: 100,
          accessibility: 100,
          cls: 0,
          lcpMs: 1100,
          tbtMs: 0,
          fcpMs: 850,
          failedAudits: [],
          benchmarkIndex: 310,
          cpuSlowdownMultiplier: 1.2,
          breakdown: {
            lcpPhasesMs: { ttfb: 600, loadDelay: 90, loadTime: 300, renderDelay: 110 },
            serverResponseMs: 40,
            mainThreadMs: 500,
            bootupMs: 260,
            scriptKb: 180,
            unusedScriptKb: 60,
          },
        },
      },
    ],
  };
  const soak = spliceSection(
    markdown(run),
    ["## 8. Soak: searches and uploads together (production server, embedded store)", "", "soak"],
    SOAK_HEADING,
  );
  const doc = withGallerySection(soak, gallery);
  assert.ok(doc.indexOf(SOAK_HEADING) < doc.indexOf(GALLERY_HEADING), "8 before 11");
  assert.ok(doc.indexOf(GALLERY_HEADING) < doc.indexOf("## Reproducibility"));
  assert.ok(doc.indexOf("## 7. Search understanding") < 0 || doc.indexOf("## 7. Search understanding") < doc.indexOf(SOAK_HEADING));
  // The other order: the gallery first, then the soak measured on its own, still 8 before 9.
  const galleryFirst = spliceSection(
    withGallerySection(markdown(run), gallery),
    ["## 8. Soak: searches and uploads together (production server, embedded store)", "", "soak"],
    SOAK_HEADING,
  );
  assert.ok(galleryFirst.indexOf(SOAK_HEADING) < galleryFirst.indexOf(GALLERY_HEADING), "8 before 11");
  assert.equal(withGallerySection(doc, gallery), doc, "replaced in place");
  // The stock preset's row and the calibrated one, each saying its slowdown, and where the time went in both.
  assert.match(
    doc,
    /\| baseline: empty library, home \| 99 \| 100 \| 0 \| 1200\.0 ms \| 10\.0 ms \| 900\.0 ms \| none \| 300 \| 4× \| 97, 99, 99 \|/,
  );
  assert.match(
    doc,
    /\| baseline: empty library, home \| 100 \| 100 \| 0 \| 1100\.0 ms \| 0\.00 ms \| 850\.0 ms \| none \| 310 \| 1\.2× \| — \|/,
  );
  assert.ok(doc.indexOf("**Stock mobile preset**") < doc.indexOf("**Calibrated**"));
  assert.match(doc, /600 \/ 100 \/ 300 \/ 200 ms; 600 \/ 90 \/ 300 \/ 110 ms \| 40\.0 ms \| 1500\.0 ms \/ 500\.0 ms \|/);
  assert.doesNotMatch(doc, /undefined|NaN|\[object Object\]/);
});
