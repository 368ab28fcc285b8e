/**
 * npm run bench -- --scale [--scale-size 1000000] [--scale-only es,embedded,text,camera] [--es-sizes …] [--es-types …]
 * The long measurements of issue #17's vector half, never in CI: the embedded store at a million
 * photos, Elasticsearch's quantized index options, text queries under load, 12 MP camera photos.
 * Each section's figures sit beside a baseline measured in the same run. Writes
 * bench/results/<time>-scale.json and the "Scale" section of docs/benchmarks.md.
 */
import fs from "node:fs";
import path from "node:path";
import { startCluster } from "../../elasticsearch/local-cluster";
import { round } from "../measure";
import { esQuantization } from "./es-quantization";
import { mergeSizedRows, scaleSection, spliceScaleSection, type SizedRow } from "./report";

export interface ScaleOptions {
  size: number;
  only?: string[];
  /** The Elasticsearch part's sizes (default: 100,000 and `size`) and index options (default: all). */
  esSizes?: number[];
  esTypes?: string[];
  log: (message: string) => void;
  results: string;
  doc: string;
  /** Sections that need more than this module knows (the server, the models) come from index.ts. */
  sections: Partial<Record<"embedded" | "text" | "camera", () => Promise<unknown>>>;
}

export async function runScale(options: ScaleOptions): Promise<void> {
  const started = new Date();
  const wanted = (name: string) => !options.only || options.only.includes(name);
  const run: Record<string, unknown> = { started: started.toISOString(), size: options.size };
  const file = path.join(options.results, `${started.toISOString().replace(/[:.]/g, "-")}-scale.json`);
  const save = () => {
    fs.mkdirSync(options.results, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(run, null, 2));
    fs.writeFileSync(
      options.doc,
      spliceScaleSection(fs.readFileSync(options.doc, "utf8"), scaleSection(latestScaleResults(options.results))),
    );
  };
  for (const name of ["embedded", "text", "camera"] as const) {
    const section = options.sections[name];
    if (wanted(name) && section) {
      run[name] = await section();
      save();
    }
  }
  if (wanted("es")) {
    const cluster = await startCluster({ version: process.env.ES_VERSION ?? "9.2.8", heap: "2g" });
    try {
      await esQuantization({
        url: cluster.url,
        sizes: options.esSizes ?? [...new Set([100_000, options.size])].sort((a, b) => a - b),
        types: options.esTypes,
        queries: 200,
        log: options.log,
        onRows: (figures) => {
          run.elasticsearch = { version: cluster.version, ...figures };
          save();
        },
      });
    } finally {
      await cluster.stop();
    }
  }
  run.durationS = round((Date.now() - started.getTime()) / 1000, 0);
  save();
  options.log(`wrote ${file} and the Scale section of ${options.doc}`);
}

/** The newest figures of each section across scale runs (sections are often run one at a time). */
function latestScaleResults(dir: string): Record<string, { started: string; size: number; figures: unknown }> {
  const latest: Record<string, { started: string; size: number; figures: unknown }> = {};
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith("-scale.json"))
    .sort();
  for (const f of files) {
    const run = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown> & { started: string; size: number };
    for (const key of ["embedded", "text", "camera", "elasticsearch"]) {
      if (!run[key]) continue;
      const previous = latest[key]?.figures as { rows?: SizedRow[] } | undefined;
      const figures = run[key] as { rows?: SizedRow[] };
      // Sizes are often run apart (a million takes long): keep each size's newest rows.
      if ((key === "embedded" || key === "elasticsearch") && previous?.rows && figures.rows)
        figures.rows = mergeSizedRows(previous.rows, figures.rows);
      latest[key] = { started: run.started, size: run.size, figures };
    }
  }
  return latest;
}
