import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeSizedRows, SCALE_ANALYSIS_MARKER, SCALE_HEADING, spliceScaleSection } from "./report";

const doc = [
  "# Benchmarks",
  "",
  SCALE_HEADING,
  "",
  "intro",
  "",
  "### Embedded store, int8 scan + fp32 rescoring (2026-12-01)",
  "",
  "| embedded | old |",
  "",
  "### Text queries under load (2026-12-01)",
  "",
  "| text | old |",
  "",
  "### Elasticsearch 9.2.8: index options at 100,000 vectors (2026-12-01)",
  "",
  "| es | old |",
  "",
  SCALE_ANALYSIS_MARKER,
  "",
  "analysis kept",
  "",
  "## Reproducibility",
].join("\n");

test("a run of one scale part replaces its table and keeps the tables it did not measure", () => {
  const fresh = [SCALE_HEADING, "", "intro", "", "### Text queries under load (2026-12-02)", "", "| text | new |", ""];
  const out = spliceScaleSection(doc, fresh);
  assert.match(out, /\| embedded \| old \|/);
  assert.match(out, /### Text queries under load \(2026-12-02\)\n\n\| text \| new \|/);
  assert.doesNotMatch(out, /\| text \| old \|/);
  assert.match(out, /\| es \| old \|/);
  assert.ok(out.indexOf("embedded | old") < out.indexOf("text | new") && out.indexOf("text | new") < out.indexOf("es | old"));
  assert.match(out, new RegExp(`\\| es \\| old \\|\\n\\n${SCALE_ANALYSIS_MARKER}\\n\\nanalysis kept`));
});

test("a table at another size replaces the one before it, and a new kind of table is added", () => {
  const fresh = [
    SCALE_HEADING,
    "",
    "intro",
    "",
    "### Elasticsearch 9.2.8: index options at 1,000,000 vectors (2026-12-02)",
    "",
    "| es | 1M |",
    "",
    "### Ingest of camera-size photos (2026-12-02)",
    "",
    "| camera |",
    "",
  ];
  const out = spliceScaleSection(doc, fresh);
  assert.doesNotMatch(out, /\| es \| old \|/);
  assert.match(out, /\| es \| 1M \|/);
  assert.match(out, /\| camera \|/);
  assert.equal(out.split(SCALE_HEADING).length, 2);
});

test("rows of a later run replace only the sizes and index types it measured", () => {
  const earlier = [
    { n: 100_000, type: "hnsw", p50: 1 },
    { n: 100_000, type: "int8_hnsw", p50: 2 },
    { n: 1_000_000, type: "int8_hnsw", p50: 3 },
    { n: 1_000_000, type: "int8_hnsw", p50: 4 },
    { n: 1_000_000, type: "bbq_hnsw", p50: 5 },
  ];
  const merged = mergeSizedRows(earlier, [
    { n: 1_000_000, type: "hnsw", p50: 6 },
    { n: 1_000_000, type: "int8_hnsw", p50: 7 },
  ]);
  assert.deepEqual(
    merged.map((r) => r.p50),
    [1, 2, 6, 7, 5],
  );
  // The embedded store's rows have no type: a size replaces its row.
  assert.deepEqual(mergeSizedRows([{ n: 1 }, { n: 2 }], [{ n: 2, p50: 9 }]), [{ n: 1 }, { n: 2, p50: 9 }]);
});
