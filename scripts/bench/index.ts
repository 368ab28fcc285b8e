/**
 * npm run bench [-- --quick] [--sizes 10000,100000] [--es-sizes …] [--no-es] [--no-build] [--report-only] [--only multilingual|understanding|soak|gallery|camera|places|duplicates]
 * npm run bench -- --scale [--scale-size 1000000] [--scale-only embedded,text,camera,es] [--es-sizes 100000,1000000] [--es-types hnsw,int8_hnsw,bbq_hnsw]   (scale/index.ts)
 * Measures the app as its users meet it, each figure beside a baseline measured in the same run
 * (absolute times on shared machines are noisy; ratios hold). Writes bench/results/<time>.json and
 * docs/benchmarks.md (the latest run in full, and the headline figures of the last runs side by side).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { COCO, DATASETS } from "@/lib/testing";
import { testModelEnv } from "@/lib/testing/test-models";
import { startCluster } from "../elasticsearch/local-cluster";
import { apiLoad } from "./api-load";
import { browserTextEmbedding } from "./browser";
import { cameraIngest } from "./camera";
import { CAMERA_HEADING, cameraSection } from "./camera-report";
import { lighthouseRuns } from "./lighthouse";
import { measureGemm } from "./gemm";
import { ingestThroughput } from "./ingest";
import { round } from "./measure";
import { FRAMEWORK_PAGE, startFrameworkBaseline } from "./next-baseline";
import { runScale } from "./scale";
import { SCALE_HEADING } from "./scale/report";
import { scaleSections } from "./scale/sections";
import { multilingualRetrieval } from "./multilingual";
import { retrievalQuality } from "./quality";
import { serverQueryEmbedding } from "./query-embedding";
import {
  ANALYSIS_MARKER,
  markdown,
  MULTILINGUAL_HEADING,
  multilingualSection,
  spliceSection,
  withGallerySection,
  keepSection,
  SOAK_HEADING,
  soakSection,
} from "./report";
import { soakBench } from "./soak-bench";
import { embeddedAreaKnn, esAreaKnn, PLACES_HEADING, placesSection, reverseGeocoding } from "./places";
import { CLUSTER_HEADING } from "./cluster";
import { DUPLICATES_HEADING, duplicatesSection } from "./duplicates-report";
import { embeddedDuplicates, esDuplicates } from "./duplicates-scale";
import { fillEmbeddedStore, startServer } from "./server";
import { syntheticCollection } from "./synthetic";
import { searchUnderstanding } from "./understanding";
import { UNDERSTANDING_HEADING, understandingSection } from "./understanding-report";
import { embeddedVectorSearch, esIndexName, esVectorSearch } from "./vector-search";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    /** `--only duplicates`: Elasticsearch's sizes when they differ from the embedded store's (`--sizes`); `--scale`: the sizes its Elasticsearch part builds. */
    "es-sizes": { type: "string" },
    /** `--scale`: the index options its Elasticsearch part builds (default: all three). */
    "es-types": { type: "string" },
    "no-es": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
    only: { type: "string" },
    seconds: { type: "string" },
    scale: { type: "boolean", default: false },
    "scale-size": { type: "string" },
    "scale-only": { type: "string" },
  },
});
const quick = values.quick!;
const sizes = (values.sizes ?? "10000,100000").split(",").map(Number);
const largest = Math.max(...sizes);
const MODEL_DIR = path.resolve(".cache/models");
const MODEL_ID = "photo-search/clip-vit-b32-random";
const MULTILINGUAL_ID = "photo-search/clip-multilingual-base-random";
/** The Python with torch and sentence-transformers (scripts/models/requirements.txt), for the full-size multilingual model. */
const PYTHON = process.env.PYTHON ?? "python3";
const RESULTS = "bench/results";
const DOC = "docs/benchmarks.md";
/**
 * Lighthouse runs per page (the median is kept): five, as Lighthouse's guidance on variability
 * advises. With three, one page's median swung from 85 to 95 between runs of the same build.
 */
const LIGHTHOUSE_RUNS = quick ? 1 : 5;

function log(message: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The Python side (the model generator, the reference for the parity check) from PyPI, once. */
function ensurePythonPackages() {
  execFileSync(
    "python3",
    ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--root-user-action=ignore", "-r", "scripts/bench/requirements.txt"],
    { stdio: "inherit" },
  );
}

/**
 * The multilingual encoder at the real model's DistilBERT dimensions with random weights, for its
 * latency; made by the project's generator when PYTHON has torch and sentence-transformers (not in
 * the bench's own requirements: torch from PyPI is 3 GB), else undefined and section 6 says so.
 */
function ensureFullSizeMultilingual(): string | undefined {
  const folder = path.join(MODEL_DIR, MULTILINGUAL_ID);
  if (fs.existsSync(path.join(folder, "onnx", "model_quantized.onnx"))) return MULTILINGUAL_ID;
  try {
    execFileSync(PYTHON, ["-c", "import torch, sentence_transformers"], { stdio: "ignore" });
  } catch {
    log(`${PYTHON} lacks torch or sentence-transformers: the multilingual tower's latency is measured on the tiny test model`);
    return undefined;
  }
  log("generating the full-size multilingual test model");
  execFileSync(PYTHON, ["scripts/test-model/generate_multilingual.py", "--size", "base", "--out", folder], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return MULTILINGUAL_ID;
}

/** The full-size ViT-B/32 graph with random weights, made by the project's generator (15 s). */
function ensureFullSizeModel() {
  const folder = path.join(MODEL_DIR, MODEL_ID);
  if (fs.existsSync(path.join(folder, "onnx", "vision_model_quantized.onnx"))) return;
  log("generating the full-size ViT-B/32 test model");
  execFileSync(
    "python3",
    [
      "scripts/test-model/generate_clip.py",
      "--size",
      "base",
      "--tokenizer-from",
      path.join(DATASETS, "../models/Xenova/clip-vit-base-patch32"),
      "--out",
      folder,
    ],
    { stdio: "inherit" },
  );
}

/** The production server on `largest` synthetic photos in the embedded store: browser text embedding (section 3) and API load (section 4). */
async function embeddedServerSections() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-library-"));
  const browser: Record<string, unknown> = {};
  let api: Record<string, unknown> = {};
  try {
    log(`filling the embedded store with ${largest} photos`);
    const fill = await fillEmbeddedStore(dataDir, MODEL_ID, syntheticCollection(largest, 0).vectors);
    for (const dtype of quick ? ["q8"] : ["q8", "fp32"]) {
      const server = await startServer({ ...serverEnv(), STORE: "embedded", DATA_DIR: dataDir, TEXT_DTYPE: dtype });
      try {
        log(`browser text embedding, ${dtype}`);
        browser[dtype] = await browserTextEmbedding(server.url, quick ? 10 : 30);
        if (dtype === "q8") {
          log(`API load, embedded store, ${largest} photos`);
          api = {
            photos: largest,
            fillMs: round(fill.fillMs, 0),
            diskMbPerMillion: round(((fill.diskBytes / largest) * 1e6) / 1048576, 0),
            ...(await apiLoad(loadOptions(server.url, largest))),
          };
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { browser, api };
}

/** Section 4 on Elasticsearch: the production server searching the index section 1 built at `size`. */
async function esApiSection(esUrl: string, size: number) {
  const server = await startServer({
    ...serverEnv(),
    ES_HOST: esUrl,
    ES_INDEX: esIndexName(size),
    TEXT_DTYPE: "q8",
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-es-")),
  });
  try {
    log(`API load, Elasticsearch, ${size} photos`);
    return { photos: size, ...(await apiLoad(loadOptions(server.url, size))) };
  } finally {
    await server.stop();
  }
}

// Servers on loopback for the bench's own clients: no sign-in (production refuses to start without
// an explicit decision about access).
const serverEnv = () => ({ MODEL_DIR, IMAGE_MODEL: MODEL_ID, UPLOADS_PER_MINUTE: "6000", AUTH: "off" });

/** Section 11: Lighthouse on the gallery, on real photos embedded with the test model (thumbnails and all). */
async function gallerySection() {
  // The test models (fixtures/models/test.env); AUTH=off: the gallery as a laptop user runs it.
  const env = { ...testModelEnv(), AUTH: "off" };
  const library = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gallery-"));
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gallery-empty-"));
  try {
    log("gallery: ingesting coco-mini and the GPS samples with the test model");
    const ingest = (folder: string, ...args: string[]) =>
      execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/ingest.ts", folder, "--json", ...args], {
        env: { ...process.env, ...env, DATA_DIR: library, STORE: "embedded" },
        stdio: ["ignore", "ignore", "inherit"],
      });
    ingest(path.join(COCO, "images"), "--metadata", path.join(COCO, "captions.json"));
    ingest(path.join(DATASETS, "exif-gps-samples/images"));
    log("gallery: building the framework alone (a one-paragraph Next.js page) beside the app");
    const framework = await startFrameworkBaseline();
    const server = await startServer({ ...env, STORE: "embedded", DATA_DIR: library });
    const emptyServer = await startServer({ ...env, STORE: "embedded", DATA_DIR: empty });
    try {
      const facets = (await (await fetch(`${server.url}/api/facets`)).json()) as { folders: { count: number }[] };
      // A server in daily use has its text models loaded: the first query after start (which loads
      // them, seconds) is section 3's cold figure, not the page's.
      for (const q of ["a plate of food", "一盘食物"])
        await fetch(`${server.url}/api/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ q }),
        });
      // Likewise the pages: the first request after start loads the page's modules (3 s here), which
      // a server in daily use has done long before.
      // The thumbnails' smaller renditions too: made on their first request and kept, so a server in
      // daily use has long made the ones its pages show.
      for (const url of [`${framework.url}/`, `${emptyServer.url}/`, `${server.url}/`, `${server.url}/?q=a+plate+of+food`]) {
        const html = await (await fetch(url)).text();
        for (const image of new Set(html.match(/\/api\/photos\/[^"\s,]+\/thumbnail\?size=\d+/g) ?? []))
          await (await fetch(new URL(image.replaceAll("&amp;", "&"), url))).arrayBuffer();
      }
      log("gallery: Lighthouse, mobile: the stock preset and the CPU slowdown calibrated for this machine");
      const pages = await lighthouseRuns(
        [
          { name: FRAMEWORK_PAGE, url: `${framework.url}/` },
          { name: "baseline: empty library, home", url: `${emptyServer.url}/` },
          { name: "home (browse, timeline)", url: `${server.url}/` },
          { name: "query URL (?q=a plate of food)", url: `${server.url}/?q=a+plate+of+food` },
        ],
        LIGHTHOUSE_RUNS,
        path.join(RESULTS, "lighthouse"),
        (message) => log(`gallery: ${message}`),
      );
      const chromium = execFileSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", ["--version"])
        .toString()
        .trim();
      const lighthouse = JSON.parse(fs.readFileSync("node_modules/lighthouse/package.json", "utf8")).version as string;
      return {
        lighthouse,
        chromium,
        photos: facets.folders.reduce((sum, f) => sum + f.count, 0),
        measured: new Date().toISOString(),
        loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
        runs: LIGHTHOUSE_RUNS,
        pages,
      };
    } finally {
      await Promise.all([server.stop(), emptyServer.stop(), framework.stop()]);
    }
  } finally {
    fs.rmSync(library, { recursive: true, force: true });
    fs.rmSync(empty, { recursive: true, force: true });
  }
}

function loadOptions(url: string, size: number) {
  const textModelId = createServerEmbedders(parseConfig({ MODEL_DIR, IMAGE_MODEL: MODEL_ID })).text.textModelId;
  return { url, textModelId, queries: syntheticCollection(size, 200).queries, connections: [1, 8], durationS: quick ? 8 : 15 };
}

/**
 * The sections that run in this process or beside it on the embedded store come first, with no
 * Elasticsearch running: an idle JVM on a 2-core machine still takes CPU and cache from a scan or a
 * model. The cluster starts afterwards for the Elasticsearch figures.
 */
async function main() {
  const started = new Date();
  ensurePythonPackages();
  ensureFullSizeModel();
  log("matrix-multiply floor");
  const gemm = await measureGemm();
  const embeddedSearch = await embeddedVectorSearch(sizes, quick ? 30 : 100, log);
  const ingest = await ingestThroughput({
    datasets: [
      { name: "flickr8k-1k", folder: path.join(DATASETS, "flickr8k-1k/images"), limit: quick ? 200 : undefined },
      { name: "coco-mini", folder: path.join(COCO, "images") },
    ],
    modelDir: MODEL_DIR,
    modelId: MODEL_ID,
    dtypes: ["fp32", "q8"],
    gemm,
    log,
  });
  const camera = await cameraPhotosSection();
  log("server query embedding");
  const server = await serverQueryEmbedding(MODEL_DIR, MODEL_ID, quick ? { text: 30, image: 8 } : { text: 100, image: 20 });
  const quality = await retrievalQuality({ quick, testModel: { dir: MODEL_DIR, id: MODEL_ID }, log });
  const multilingualBase = ensureFullSizeMultilingual();
  const multilingual = await multilingualRetrieval({
    quick,
    log,
    // Without real weights, latency on full-size random models: their compute is the real one.
    fullSize: { MODEL_DIR, IMAGE_MODEL: MODEL_ID, ...(multilingualBase ? { MULTILINGUAL_MODEL: multilingualBase } : {}) },
  });
  const understanding = await searchUnderstanding({ quick, log });
  if (!values["no-build"]) {
    log("building the app (npm run build)");
    execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  }
  const { browser, api: embeddedApi } = await embeddedServerSections();
  const gallery = await gallerySection();

  let es: { version: string; search: Record<string, unknown>[]; api?: Record<string, unknown> } | undefined;
  if (!values["no-es"]) {
    const cluster = await startCluster({ heap: "2g" });
    try {
      // The HNSW build takes minutes at 100k on 2 cores: quick runs build the smallest size only.
      const esSizes = quick ? [Math.min(...sizes)] : sizes;
      const search = await esVectorSearch({
        url: cluster.url,
        sizes: esSizes,
        queries: quick ? 30 : 100,
        warmup: quick ? 300 : 1000,
        modelId: MODEL_ID,
        log,
      });
      es = { version: cluster.version, search, api: await esApiSection(cluster.url, Math.max(...esSizes)) };
    } finally {
      await cluster.stop();
    }
  }
  const run = {
    started: started.toISOString(),
    quick,
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGb: round(os.totalmem() / 1024 ** 3, 1),
      node: process.version,
      elasticsearch: es?.version,
    },
    vectorSearch: embeddedSearch.map((row) => ({ ...row, elasticsearch: es?.search.find((e) => e.n === row.n) })),
    ingest,
    queryEmbedding: { server, browser },
    api: { embedded: embeddedApi, ...(es?.api ? { elasticsearch: es.api } : {}) },
    retrievalQuality: quality,
    multilingual,
    understanding,
    gallery,
    camera,
    durationS: round((Date.now() - started.getTime()) / 1000, 0),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${started.toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(run, null, 2));
  const doc = keepMeasuredAlone(fs.readFileSync(DOC, "utf8"), markdown(run, previousRuns(run.quick, file), keptAnalysis()));
  fs.writeFileSync(
    DOC,
    spliceSection(doc, cameraSection(camera, `Measured in this run (${started.toISOString().slice(0, 10)}).`), CAMERA_HEADING),
  );
  log(`wrote ${file} and docs/benchmarks.md in ${run.durationS} s`);
}

/**
 * The sections a full run does not measure (`--only soak|places|duplicates`, `--scale`,
 * `bench:cluster`) survive its rewrite, and `--report-only`'s.
 */
const MEASURED_ALONE = [SOAK_HEADING, PLACES_HEADING, DUPLICATES_HEADING, SCALE_HEADING, CLUSTER_HEADING];

function keepMeasuredAlone(previous: string, next: string): string {
  return MEASURED_ALONE.reduce((doc, heading) => keepSection(previous, doc, heading), next);
}

/** The hand-written analysis at the end of the current doc, kept as is. */
function keptAnalysis(): string | undefined {
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "";
  const at = doc.indexOf(ANALYSIS_MARKER);
  return at >= 0 ? doc.slice(at) : undefined;
}

/** Earlier runs of the same kind (quick or full), newest first, for the reproducibility table. */
function previousRuns(quickRun: boolean, current: string) {
  return fs
    .readdirSync(RESULTS)
    .filter(
      (f) =>
        f.endsWith(".json") &&
        !/-(multilingual|understanding|soak|camera|places|duplicates)\.json$/.test(f) &&
        path.join(RESULTS, f) !== current,
    )
    .sort()
    .reverse()
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS, f), "utf8")))
    .filter((r) => r.quick === quickRun && r.ingest && r.api)
    .slice(0, 2);
}

/**
 * A section measured on its own: its results file (kept out of the reproducibility table by its
 * name), and its part of docs/benchmarks.md replaced in place; the other sections keep their figures.
 */
/** The newest results file of a section measured alone that passes `wanted`, if this machine has one. */
function newestResults(section: string, wanted: (run: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  if (!fs.existsSync(RESULTS)) return undefined;
  const files = fs
    .readdirSync(RESULTS)
    .filter((f) => f.endsWith(`-${section}.json`))
    .sort()
    .reverse();
  for (const f of files) {
    const run = JSON.parse(fs.readFileSync(path.join(RESULTS, f), "utf8")) as Record<string, unknown>;
    if (wanted(run)) return run;
  }
  return undefined;
}

function saveMeasuredAlone(started: Date, section: string, figures: object, heading: string, lines: string[]) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${started.toISOString().replace(/[:.]/g, "-")}-${section}.json`);
  fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), quick, section, ...figures }, null, 2));
  fs.writeFileSync(DOC, spliceSection(fs.readFileSync(DOC, "utf8"), lines, heading));
  log(`wrote ${file} and "${heading.slice(3)}" in docs/benchmarks.md`);
}

/**
 * Section 6 alone (multilingual retrieval, a few minutes): its results file, and its section of
 * docs/benchmarks.md replaced in place; the other sections keep the last full run's figures.
 */
async function multilingualOnly() {
  const started = new Date();
  ensurePythonPackages();
  ensureFullSizeModel();
  const multilingualBase = ensureFullSizeMultilingual();
  const multilingual = await multilingualRetrieval({
    quick,
    log,
    fullSize: { MODEL_DIR, IMAGE_MODEL: MODEL_ID, ...(multilingualBase ? { MULTILINGUAL_MODEL: multilingualBase } : {}) },
  });
  const note = `Measured on its own (\`npm run bench -- --only multilingual${quick ? " --quick" : ""}\`) on ${started.toISOString().slice(0, 10)}.`;
  saveMeasuredAlone(started, "multilingual", { multilingual }, MULTILINGUAL_HEADING, multilingualSection(multilingual, note));
}

/**
 * Section 7 alone (search understanding, about a minute on the test model): its results file, and its
 * section of docs/benchmarks.md replaced in place.
 */
async function understandingOnly() {
  const started = new Date();
  const understanding = await searchUnderstanding({ quick, log });
  const note = `Measured on its own (\`npm run bench -- --only understanding${quick ? " --quick" : ""}\`) on ${started.toISOString().slice(0, 10)}.`;
  saveMeasuredAlone(started, "understanding", { understanding }, UNDERSTANDING_HEADING, understandingSection(understanding, note));
}

/**
 * Section 8 alone (`--only soak`, 5 minutes by default, `--seconds` to change): its results file,
 * and its section of docs/benchmarks.md replaced in place (full runs keep it).
 */
async function soakOnly() {
  const started = new Date();
  if (!values["no-build"]) {
    log("building the app (npm run build)");
    execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  }
  const seconds = Number(values.seconds ?? (quick ? 60 : 300));
  const soak = await soakBench({ seconds, log });
  const note = `Measured on its own (\`npm run bench -- --only soak${values.seconds ? ` --seconds ${seconds}` : ""}\`) on ${started.toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end (a shared machine).`;
  saveMeasuredAlone(started, "soak", { soak }, SOAK_HEADING, soakSection(soak, note));
}

/**
 * Section 10 alone (`--only places`): reverse geocoding per photo, and a map-area kNN beside the same
 * kNN on both stores at the largest size (100k by default; `--no-es` for the embedded store only).
 */
async function placesOnly() {
  const started = new Date();
  const n = values.sizes ? largest : 100_000;
  const queries = quick ? 30 : 100;
  log("places: reverse geocoding");
  const geocoding = reverseGeocoding();
  const embedded = [await embeddedAreaKnn(n, queries, log)];
  log(`places: embedded figures ${JSON.stringify(embedded)}`);
  let elasticsearch: Awaited<ReturnType<typeof esAreaKnn>>[] | undefined;
  let esVersion: string | undefined;
  let esError: string | undefined;
  if (!values["no-es"]) {
    const cluster = await startCluster({ heap: "2g" });
    try {
      esVersion = cluster.version;
      elasticsearch = [await esAreaKnn(cluster.url, n, queries, MODEL_ID, log)];
    } catch (error) {
      // The embedded figures (minutes to take) are still saved, with what stopped Elasticsearch's half.
      esError = `${esVersion ?? "Elasticsearch"}: ${(error as Error).message}`;
      log(`places: ${esError}`);
      process.exitCode = 1;
    } finally {
      await cluster.stop();
    }
  }
  // `--no-es` re-measures the embedded half only: Elasticsearch's rows stay those of the newest run that had them.
  const earlier = values["no-es"] ? newestResults("places", (r) => Array.isArray(r.elasticsearch)) : undefined;
  if (earlier) ({ elasticsearch, esVersion } = earlier as { elasticsearch: typeof elasticsearch; esVersion: string });
  const result = {
    geocoding,
    embedded,
    elasticsearch,
    esVersion,
    esError,
    esMeasured: earlier ? String(earlier.esMeasured ?? earlier.started) : started.toISOString(),
  };
  const esFrom = earlier
    ? ` Elasticsearch's rows are from the run of ${result.esMeasured.slice(0, 16).replace("T", " ")} UTC (kept by \`--no-es\`).`
    : "";
  const note = `Measured on its own (\`npm run bench -- --only places${values.sizes ? ` --sizes ${values.sizes}` : ""}${values["no-es"] ? " --no-es" : ""}\`) on ${started.toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end (a shared machine): compare within a row, not across runs.${esFrom}`;
  saveMeasuredAlone(started, "places", result, PLACES_HEADING, placesSection(result, note));
}

/**
 * Section 12 alone (`--only duplicates`): a full duplicates review at each of `--sizes` photos on the
 * embedded store, then on Elasticsearch (started afterwards, as in a full run; `--no-es` skips it).
 */
async function duplicatesOnly() {
  const started = new Date();
  const file = path.join(RESULTS, `${started.toISOString().replace(/[:.]/g, "-")}-duplicates.json`);
  const run = {
    started: started.toISOString(),
    section: "duplicates",
    elasticsearch: undefined as string | undefined,
    rows: [] as unknown[],
  };
  const esSizes = values["no-es"] ? [] : values["es-sizes"] ? values["es-sizes"].split(",").map(Number) : sizes;
  // A store or size this run leaves out keeps its row from the newest run that measured it, said so.
  const planned = (r: { store: string; n: number }) => (r.store === "embedded" ? sizes : esSizes).includes(r.n);
  const earlier = newestResults("duplicates", () => true);
  const kept = ((earlier?.rows ?? []) as { store: string; n: number; measured?: string }[])
    .filter((r) => !planned(r))
    .map((r) => ({ ...r, measured: r.measured ?? String(earlier!.started) }));
  if (kept.some((r) => r.store !== "embedded")) run.elasticsearch = earlier?.elasticsearch as string | undefined;
  // Written after every row: the 100k Elasticsearch review takes long on a busy machine.
  const save = (row: Record<string, unknown>) => {
    run.rows.push(row);
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...run, rows: [...kept, ...run.rows] }, null, 2));
    const keptNote = kept
      .map(
        (r) =>
          ` The ${r.store} row at ${r.n.toLocaleString("en")} photos is from the run of ${r.measured!.slice(0, 16).replace("T", " ")} UTC.`,
      )
      .join("");
    const note = `Measured on its own (\`npm run bench -- --only duplicates${values.sizes ? ` --sizes ${values.sizes}` : ""}${values["es-sizes"] ? ` --es-sizes ${values["es-sizes"]}` : ""}${values["no-es"] ? " --no-es" : ""}\`) on ${started.toISOString().slice(0, 10)}: ${os.cpus().length} cores (shared; load average ${os.loadavg()[0]!.toFixed(1)} when the last row was written), Node ${process.version}${run.elasticsearch ? `, Elasticsearch ${run.elasticsearch} (2 GB heap, one node)` : ""}.${keptNote}`;
    const rows = [...kept, ...run.rows] as { store: string; n: number }[];
    rows.sort((a, b) => (a.store === b.store ? a.n - b.n : a.store === "embedded" ? -1 : 1));
    fs.writeFileSync(DOC, spliceSection(fs.readFileSync(DOC, "utf8"), duplicatesSection({ ...run, rows }, note), DUPLICATES_HEADING));
    log(`wrote ${file} and section 12 of docs/benchmarks.md`);
  };
  await embeddedDuplicates(sizes, MODEL_ID, log, save);
  if (!values["no-es"]) {
    const cluster = await startCluster({ heap: "2g" });
    try {
      run.elasticsearch = cluster.version;
      await esDuplicates(cluster.url, esSizes, MODEL_ID, log, save);
    } finally {
      await cluster.stop();
    }
  }
}

/** Writes docs/benchmarks.md again from the newest results file, as after a run (for changes to the report's wording). */
function reportOnly() {
  const newest = fs
    .readdirSync(RESULTS)
    .filter((f) => f.endsWith(".json") && !/-(multilingual|understanding|soak|camera|places|duplicates)\.json$/.test(f))
    .sort()
    .reverse();
  const file = path.join(
    RESULTS,
    newest.find((f) => JSON.parse(fs.readFileSync(path.join(RESULTS, f), "utf8")).quick === false) ?? newest[0]!,
  );
  const run = JSON.parse(fs.readFileSync(file, "utf8"));
  const previous = fs.readFileSync(DOC, "utf8");
  fs.writeFileSync(
    DOC,
    keepSection(previous, keepMeasuredAlone(previous, markdown(run, previousRuns(run.quick, file), keptAnalysis())), CAMERA_HEADING),
  );
  log(`wrote docs/benchmarks.md from ${file}`);
}

/**
 * --only gallery: runs section 11 alone (after `npm run build`) and puts it into docs/benchmarks.md,
 * keeping the other sections (they take most of an hour to measure).
 */
async function galleryOnly() {
  const gallery = await gallerySection();
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `gallery-${gallery.measured.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify({ gallery }, null, 2));
  fs.writeFileSync(DOC, withGallerySection(fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "# Benchmarks\n", gallery));
  log(`wrote ${file} and section 11 of docs/benchmarks.md`);
  for (const page of gallery.pages)
    log(
      `${page.page}: stock mobile preset (4×, benchmarkIndex ${page.benchmarkIndex}): performance ${page.performance}, accessibility ${page.accessibility}, CLS ${page.cls}; ` +
        `calibrated (${page.calibrated?.cpuSlowdownMultiplier}×, benchmarkIndex ${page.calibrated?.benchmarkIndex}): performance ${page.calibrated?.performance}, accessibility ${page.calibrated?.accessibility}, CLS ${page.calibrated?.cls}`,
    );
}

/** Section 9: the app's ingest on 8-20 MP camera photos beside the model alone (scripts/bench/camera.ts). */
function cameraPhotosSection() {
  ensurePythonPackages();
  ensureFullSizeModel();
  return cameraIngest({
    modelDir: MODEL_DIR,
    modelId: MODEL_ID,
    dtypes: quick ? ["fp32"] : ["fp32", "q8"],
    copies: quick ? 4 : 8,
    cacheDir: path.resolve(".cache/camera-photos"),
    log,
  });
}

/** Section 9 alone (`--only camera`, a few minutes): its results file, and its section of docs/benchmarks.md replaced in place. */
async function cameraOnly() {
  const started = new Date();
  const camera = await cameraPhotosSection();
  const note = `Measured on its own (\`npm run bench -- --only camera${quick ? " --quick" : ""}\`) on ${started.toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end (a shared machine).`;
  saveMeasuredAlone(started, "camera", { camera }, CAMERA_HEADING, cameraSection(camera, note));
}

function scaleRun() {
  const size = Number(values["scale-size"] ?? 1_000_000);
  return runScale({
    size,
    only: values["scale-only"]?.split(","),
    esSizes: values["es-sizes"]?.split(",").map(Number),
    esTypes: values["es-types"]?.split(","),
    log,
    results: RESULTS,
    doc: DOC,
    sections: scaleSections({ size, modelDir: MODEL_DIR, modelId: MODEL_ID, ensureModel: ensureFullSizeModel, serverEnv, log }),
  });
}

/** `--only <name>`: one section measured on its own. */
const ONLY: Record<string, () => Promise<void>> = {
  multilingual: multilingualOnly,
  understanding: understandingOnly,
  gallery: galleryOnly,
  soak: soakOnly,
  camera: cameraOnly,
  places: placesOnly,
  duplicates: duplicatesOnly,
};
const only = values.only === undefined ? undefined : ONLY[values.only];
const job = values.scale ? scaleRun() : values["report-only"] ? Promise.resolve(reportOnly()) : only ? only() : main();
job.then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
