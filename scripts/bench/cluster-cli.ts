/**
 * npm run bench:cluster [-- --scale]: the cluster section of docs/benchmarks.md alone (issue 17:
 * failover, migrate, sharded ingest on a 3-node cluster; scripts/bench/cluster.ts). Writes
 * bench/results/<time>-cluster.json and replaces that section in place. --scale: ten times the
 * sizes (long; CI never runs it).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { clusterBench, clusterSection, spliceClusterSection } from "./cluster";

const { values } = parseArgs({ options: { scale: { type: "boolean", default: false } } });
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const started = new Date();
const result = await clusterBench({ scale: values.scale!, log });
fs.mkdirSync("bench/results", { recursive: true });
const file = path.join("bench/results", `${started.toISOString().replace(/[:.]/g, "-")}-cluster.json`);
fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), section: "cluster", ...result }, null, 2));
const note = `Measured on its own (\`npm run bench:cluster${values.scale ? " -- --scale" : ""}\`) on ${started.toISOString().slice(0, 10)}.`;
fs.writeFileSync("docs/benchmarks.md", spliceClusterSection(fs.readFileSync("docs/benchmarks.md", "utf8"), clusterSection(result, note)));
console.log(JSON.stringify(result, null, 2));
log(`wrote ${file} and the cluster section of docs/benchmarks.md`);
process.exit(0);
