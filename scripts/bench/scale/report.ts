/** The "Scale" section of docs/benchmarks.md, from the newest figures of each scale section. */
/* eslint-disable @typescript-eslint/no-explicit-any -- figures are read back from JSON */
import { INDEX_TYPES } from "./es-quantization";
type Any = any;

export const SCALE_HEADING = "## Scale: a million photos, quantized indices, text queries under load, camera photos";
/** Hand-written analysis below this line is kept across runs. */
export const SCALE_ANALYSIS_MARKER = "<!-- scale analysis: kept across runs -->";

const n = (x: number | undefined) => (x === undefined ? "–" : x.toLocaleString("en-US"));

export function scaleSection(latest: Record<string, { started: string; size: number; figures: Any }>): string[] {
  const lines = [
    SCALE_HEADING,
    "",
    "`npm run bench -- --scale` (long; never in CI). Each table's date and size say which run it comes from: sections run one at a time on a shared 2-core machine.",
    "",
  ];
  const embedded = latest.embedded;
  if (embedded) lines.push(...embeddedLines(embedded.figures, embedded.started), ...graphLines(embedded.figures, embedded.started));
  const text = latest.text;
  if (text) lines.push(...textLines(text.figures, text.started));
  const camera = latest.camera;
  if (camera) lines.push(...cameraLines(camera.figures, camera.started));
  const es = latest.elasticsearch;
  if (es) lines.push(...esLines(es.figures, es.started));
  return lines;
}

function embeddedLines(e: Any, started: string): string[] {
  return [
    `### Embedded store, int8 scan + fp32 rescoring (${started.slice(0, 10)})`,
    "",
    "Synthetic clustered unit vectors (scripts/bench/synthetic.ts), k = 10, through the real store (SQLite, rescoring reads fp32 vectors from it). Baseline: the fp32 column-major onnxruntime scan the store ran before (scripts/bench/baseline), same vectors, same run.",
    "",
    "| photos | int8 + rescore p50 / p95 (in memory) | recall@10 vs exact fp32 | fp32 scan p50 (baseline) | int8 ÷ fp32 | QPS 8 clients | store searchVector p50 / p95, recall@10 | vectors in RAM | store process RSS after load: first / again | load (open) time: first / again | fill (photos per transaction) | load average |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...e.rows.map(
      (r: Any) =>
        `| ${n(r.n)} | ${r.quantized.p50} / ${r.quantized.p95} ms | ${r.quantized.recallAt10} | ${r.fp32 ? `${r.fp32.p50} ms` : "–"} | ${r.fp32 ? r.ratio : "–"} | ${r.quantized.qps8Clients ?? "–"} | ${r.store ? `${r.store.p50} / ${r.store.p95} ms, ${r.store.recallAt10}` : "–"} | ${n(r.vectorMb)} MB (fp32: ${n(r.fp32VectorMb)} MB) | ${n(r.rssMb)} MB${r.reopenRssMb ? ` / ${n(r.reopenRssMb)} MB` : ""} | ${r.openS ?? "–"} s${r.openFrom ? ` (${r.openFrom})` : ""} / ${r.reopenS ?? "–"} s${r.reopenFrom ? ` (${r.reopenFrom})` : ""} | ${r.fillS ?? "–"} s (${n(r.fillBatch)}) | ${r.loadAverage ? r.loadAverage.join(", ") : "–"} |`,
    ),
    "",
  ];
}

/** The graph index beside the int8 scan through the store, from the same run's rows (older rows have no graph figures). */
function graphLines(e: Any, started: string): string[] {
  const rows = e.rows.filter((r: Any) => r.graph);
  if (rows.length === 0) return [];
  return [
    `### Embedded store, graph index (usearch HNSW over 1-bit codes) + int8 re-ranking + fp32 rescoring (${started.slice(0, 10)})`,
    "",
    "The same libraries and queries as the table above, each opened in a process of its own: the int8 scan of every photo (the table above's store column), then the graph built from the snapshot-loaded library (event loop answering between chunks), then a restart that loads the saved graph. The graph holds each photo's 1-bit code (the signs of its int8 row minus the library's mean; usearch B1, Hamming, connectivity 32); a search takes a pool of 1,000 codes, 1,000 per million beyond a million (poolSize in lib/store/embedded/graph-index.ts), re-ranks the pool by the matrix's int8 rows, and rescores the best k + 110 + k/4 (candidateCount in knn.ts) exactly in fp32 from SQLite.",
    "",
    "| photos | graph p50 / p95 (store) | recall@10 vs exact fp32 | int8 scan p50 (store, same run) | graph ÷ int8 scan | QPS 8 clients: graph / int8 scan | build (event loop held: p99 / max) | load from file | process RSS: matrix only / with graph | graph files | load average |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r: Any) =>
        `| ${n(r.n)} | ${r.graph.p50} / ${r.graph.p95} ms | ${r.graph.recallAt10} | ${r.store.p50} ms | ${r.graph.ratioToInt8} | ${r.graph.qps8Clients} / ${r.store.qps8Clients} | ${r.graph.buildS ?? "–"} s (${r.graph.buildEventLoopP99Ms} / ${r.graph.buildEventLoopMaxMs} ms) | ${r.graph.loadedFrom === "file" ? `${r.graph.loadS} s` : "not loaded"} | ${n(r.graph.rssWithoutGraphMb)} / ${n(r.graph.rssMb)} MB | ${n(r.graph.fileMb)} MB | ${r.loadAverage ? r.loadAverage.join(", ") : "–"} |`,
    ),
    "",
  ];
}

function textLines(t: Any, started: string): string[] {
  // Runs before 2026-12-02 10:00 measured two servers (before, after) and no load average.
  const middle = Boolean(t.rows[0]?.batching);
  const figures = (f: Any) => `${f.rps} | ${f.p50} / ${f.p95} ms`;
  const line = (label: string, r: Any) =>
    `| ${label} | ${figures(r.before)} | ${middle ? `${figures(r.batching)} | ` : ""}${figures(r.after)} | ${r.gain ?? Math.round((r.after.rps / r.before.rps) * 100) / 100} |`;
  return [
    `### Text queries under load (${started.slice(0, 10)})`,
    "",
    `The production server, embedded store of ${n(t.photos)} photos, distinct texts (no cache hits), q8 text tower, same build, same library, same run. ` +
      (middle
        ? `"before" is the server with the encoder as on the issue's day (QUERY_BATCHING=off, TEXT_ENCODER_THREAD=off, RESCORE_THREAD_MIN_PHOTOS=off: one encoder run per query, and the candidates' rescoring, on the main thread); "batching" adds micro-batching and the query cache; "after" is the default (the encoder in a worker thread, and the rescoring in another). The store's own changes since the issue (the window ranked without its photos, fewer candidates read by rowid) are in all three.`
        : `"before" is the same build with QUERY_BATCHING=off (one encoder run per query, no cache).`),
    ...(t.graph
      ? ["", "Unfiltered searches take their candidates from the library's graph index (built and saved before the servers start)."]
      : []),
    ...(t.load
      ? ["", `Load average (1 min) after each server's runs: before ${t.load.before}, batching ${t.load.batching}, after ${t.load.after}.`]
      : []),
    "",
    `| clients | before: req/s | before: p50 / p95 | ${middle ? "batching: req/s | batching: p50 / p95 | " : ""}after: req/s | after: p50 / p95 | req/s × |`,
    `| --- | --- | --- | ${middle ? "--- | --- | " : ""}--- | --- | --- |`,
    ...t.rows.map((r: Any) => line(String(r.connections), r)),
    // The ceiling without any encoder: the same servers answering ready-made vectors.
    ...(t.vector ? [line("8, vector queries (no encoder)", t.vector)] : []),
    "",
  ];
}

function cameraLines(c: Any, started: string): string[] {
  return [
    `### Ingest of camera-size photos (${started.slice(0, 10)})`,
    "",
    `${c.source}. ${n(c.photos)} photos, ${c.megapixels} MP median, ${c.mbPerPhoto} MB median. Baseline: the image model alone on already-decoded 224 × 224 inputs, same run, same batch size.`,
    "",
    "| ingest photos/s (decode, thumbnail, embed, store) | model-only photos/s | ingest ÷ model-only | decode+thumbnail ms per photo |",
    "| --- | --- | --- | --- |",
    `| ${c.ingestPerS} | ${c.modelPerS} | ${c.ratio} | ${c.decodeMs} |`,
    "",
  ];
}

function esLines(es: Any, started: string): string[] {
  return [
    `### Elasticsearch ${es.version}: index options (${started.slice(0, 10)})`,
    "",
    `Synthetic clustered unit vectors, 512 dims, ${es.queries} queries, k = 10, one shard (force-merged to one segment up to 200,000 vectors; beyond, searched as the merge policy left it), bulk requests of 2,000 vectors, 2 in flight, 2 GB heap. Recall against the exact fp32 top 10. "ncN" is num_candidates; "rescore×N" re-ranks k × N candidates by their float vectors (\`rescore_vector\`); without it, rescoring is off (\`oversample: 0\`). "request alone" is the same request with a filter that matches no vector: what a search costs around the graph (HTTP, the query's 512 numbers as JSON, parsing, an empty fetch). "took" is Elasticsearch's own time for the search.`,
    "",
    "| vectors | index_options | search | recall@10 | p50 / p99 | took p50 | QPS 8 clients | build (bulk + merge) | segments | disk (vector field) | heap used |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...es.rows.map(
      (r: Any) =>
        `| ${n(r.n ?? es.size)} | \`${r.type}\` | ${r.setting} | ${r.recallAt10 ?? "–"} | ${r.p50} / ${r.p99} ms | ${r.tookP50 !== undefined ? `${r.tookP50} ms` : "–"} | ${r.qps8Clients} | ${r.buildS} s (bulk ${r.bulkS} s) | ${r.segments ?? 1} | ${n(r.diskMb)} MB (${n(r.vectorFieldMb)} MB) | ${n(r.heapUsedMb)} MB |`,
    ),
    "",
  ];
}

/** A row of a size-keyed table: the embedded store's by size, Elasticsearch's by size and index type. */
export interface SizedRow {
  n: number;
  type?: string;
}

/**
 * An earlier run's rows with a newer run's: each (size, index type) the newer run measured replaces
 * the earlier rows of it (a million-vector index takes most of an hour to build, so the types are
 * often built in runs of their own). Ordered by size, then index type.
 */
export function mergeSizedRows<Row extends SizedRow>(earlier: Row[], newer: Row[]): Row[] {
  const key = (row: SizedRow) => `${row.n}/${row.type ?? ""}`;
  const measured = new Set(newer.map(key));
  const order = (row: SizedRow) => (INDEX_TYPES as readonly string[]).indexOf(row.type ?? "");
  return [...earlier.filter((row) => !measured.has(key(row))), ...newer].sort((a, b) => a.n - b.n || order(a) - order(b));
}

/**
 * Replaces the Scale section (up to its kept analysis, or the next "## ") or adds it before
 * Reproducibility. Results files stay on the machine that measured them, so a run of one part
 * (`--scale-only text`) elsewhere knows only its own figures: a "### " table it did not produce is
 * kept as the document has it, not dropped.
 */
export function spliceScaleSection(doc: string, lines: string[]): string {
  const start = doc.indexOf(SCALE_HEADING);
  if (start >= 0) {
    const marker = doc.indexOf(SCALE_ANALYSIS_MARKER, start);
    const next = doc.indexOf("\n## ", start + SCALE_HEADING.length);
    const end = marker >= 0 && (next < 0 || marker < next) ? marker : next >= 0 ? next + 1 : doc.length;
    const section = mergeTables(doc.slice(start, end), lines.join("\n"));
    return doc.slice(0, start) + section.trimEnd() + "\n\n" + doc.slice(end);
  }
  const section = lines.join("\n");
  const before = doc.indexOf("## Reproducibility");
  return before >= 0 ? doc.slice(0, before) + section + "\n" + doc.slice(before) : `${doc}\n${section}`;
}

/** The new section's intro and tables, with each older table the new one has no figures for kept in its place. */
function mergeTables(old: string, fresh: string): string {
  const [, ...oldTables] = old.split(/\n(?=### )/);
  const [intro = "", ...freshTables] = fresh.split(/\n(?=### )/);
  const byKey = new Map(freshTables.map((table) => [tableKey(table), table]));
  const merged = oldTables.map((table) => {
    const replacement = byKey.get(tableKey(table));
    byKey.delete(tableKey(table));
    return replacement ?? table;
  });
  return [intro, ...merged, ...byKey.values()].map((part) => part.trimEnd() + "\n").join("\n");
}

/** A table's identity across runs: its heading without the date and the size it was run at. */
function tableKey(table: string): string {
  return table
    .split("\n")[0]!
    .replace(/ \(\d{4}-\d{2}-\d{2}\)$/, "")
    .replace(/ at [\d,]+ vectors/, "");
}
