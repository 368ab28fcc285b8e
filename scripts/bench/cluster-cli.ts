/**
 * npm run bench:cluster [-- --scale] [--only migrate,ingest,failover] [--port 9600]: the cluster
 * section of docs/benchmarks.md alone (issue 17: migrate, sharded ingest, failover on a 3-node
 * cluster; scripts/bench/cluster.ts). Writes bench/results/<time>-cluster.json and replaces that
 * section in place; parts not run this time keep the newest earlier run's figures, with their date.
 * --scale: ten times the sizes (long; CI never runs it). --port: the nodes listen on port..port+5
 * (default: free ports).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  CLUSTER_PARTS,
  clusterAnalysis,
  clusterBench,
  clusterSection,
  spliceClusterSection,
  type ClusterPart,
  type ClusterResult,
} from "./cluster";

const RESULTS = "bench/results";
const DOC = "docs/benchmarks.md";

const { values } = parseArgs({
  options: { scale: { type: "boolean", default: false }, only: { type: "string" }, port: { type: "string" } },
});
const parts = (values.only?.split(",") ?? [...CLUSTER_PARTS]) as ClusterPart[];
if (parts.some((part) => !CLUSTER_PARTS.includes(part))) {
  console.error(`usage: npm run bench:cluster -- [--scale] [--only ${CLUSTER_PARTS.join(",")}] [--port 9600]`);
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** The newest earlier run of the same size, for the parts this run leaves out. */
function previousRun(scale: boolean): ClusterResult | undefined {
  if (!fs.existsSync(RESULTS)) return undefined;
  const files = fs
    .readdirSync(RESULTS)
    .filter((name) => name.endsWith("-cluster.json"))
    .sort()
    .reverse();
  for (const name of files) {
    const run = JSON.parse(fs.readFileSync(path.join(RESULTS, name), "utf8")) as ClusterResult;
    if (run.scale === scale && run.measured) return run;
  }
  return undefined;
}

const started = new Date();
const previous = previousRun(values.scale!);
const fresh = await clusterBench({ scale: values.scale!, log, parts, basePort: values.port ? Number(values.port) : undefined });
const result: ClusterResult = { ...fresh, measured: { ...fresh.measured } };
for (const part of CLUSTER_PARTS) {
  if (result[part] || !previous?.[part]) continue;
  (result as unknown as Record<string, unknown>)[part] = previous[part];
  result.measured[part] = previous.measured[part];
}
fs.mkdirSync(RESULTS, { recursive: true });
const file = path.join(RESULTS, `${started.toISOString().replace(/[:.]/g, "-")}-cluster.json`);
fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), section: "cluster", ...result }, null, 2));
const note = `Measured by \`npm run bench:cluster${values.scale ? " -- --scale" : ""}\` (each part's date below; \`--only <part>\` re-measures one part and keeps the others).`;
const doc = fs.readFileSync(DOC, "utf8");
fs.writeFileSync(DOC, spliceClusterSection(doc, clusterSection(result, note, clusterAnalysis(doc))));
console.log(JSON.stringify(result, null, 2));
log(`wrote ${file} and the cluster section of ${DOC}`);
process.exit(0);
