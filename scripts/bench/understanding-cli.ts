/**
 * npm run bench:understanding [-- --quick]: section 7 alone (the cut-off and negative queries on
 * labelled sets), printed as JSON and written to bench/results/understanding-<time>.json.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { searchUnderstanding } from "./understanding";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const result = await searchUnderstanding({ quick: values.quick!, log });
fs.mkdirSync("bench/results", { recursive: true });
const file = `bench/results/understanding-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
fs.writeFileSync(file, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
log(`written to ${file}`);
