/**
 * npm run duplicates [-- --near 0.95 --hash 10 --burst 0.85 --seconds 30 --neighbours 8]
 * Lists identical files (every path of the same bytes), near-identical copies and bursts in the
 * library as JSON on stdout (lib/duplicates, the same review GET /api/duplicates and the /duplicates
 * page serve), with a progress bar on stderr while every photo is compared with its nearest others
 * (minutes at 100k photos). Lower the thresholds to preview what a looser setting would group.
 * Read-only.
 */
import { parseArgs } from "node:util";
import type { SingleBar } from "cli-progress";
import { closeAppContext } from "@/lib/context";
import { parseDuplicateOptions } from "@/lib/duplicates/options";
import { reviewDuplicates } from "@/lib/duplicates/review";
import type { NeighbourProgress } from "@/lib/store/types";
import { runCli } from "./cli-context";
import { createBars } from "./model-progress";

const FORMAT = "{bar} {percentage}% | {phase} {value} of {total} photos | ETA {eta_formatted}";
const PHASES: Record<NeighbourProgress["phase"], string> = { indexing: "indexing", comparing: "comparing" };

runCli(async () => {
  const { values } = parseArgs({
    options: {
      near: { type: "string" },
      hash: { type: "string" },
      burst: { type: "string" },
      seconds: { type: "string" },
      neighbours: { type: "string" },
    },
  });
  const options = parseDuplicateOptions(values);
  const bars = createBars();
  // One bar per phase: the ETA of the indexing phase says nothing about the comparing one.
  const shown = new Map<string, SingleBar>();
  const onProgress = ({ phase, done, total }: NeighbourProgress) => {
    if (total === 0) return;
    let bar = shown.get(phase);
    if (!bar) shown.set(phase, (bar = bars.create(total, 0, { phase: PHASES[phase] }, { format: FORMAT })));
    bar.setTotal(total);
    bar.update(done);
  };
  try {
    const { groups, byClass } = await reviewDuplicates(options, onProgress);
    bars.stop();
    console.log(JSON.stringify({ options, groups: groups.length, byClass, duplicates: groups }, null, 2));
  } finally {
    bars.stop();
    await closeAppContext();
  }
});
