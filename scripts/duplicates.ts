/**
 * npm run duplicates [-- --near 0.95 --hash 10 --burst 0.85 --seconds 30 --neighbours 8]
 * Lists identical files (every path of the same bytes), near-identical copies and bursts in the
 * library as JSON (lib/duplicates, the same review GET /api/duplicates and the /duplicates page
 * serve). Lower the thresholds to preview what a looser setting would group. Read-only.
 */
import { parseArgs } from "node:util";
import { closeAppContext } from "@/lib/context";
import { parseDuplicateOptions } from "@/lib/duplicates/options";
import { reviewDuplicates } from "@/lib/duplicates/review";
import { runCli } from "./cli-context";

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
  try {
    const { groups, byClass } = await reviewDuplicates(options);
    console.log(JSON.stringify({ options, groups: groups.length, byClass, duplicates: groups }, null, 2));
  } finally {
    await closeAppContext();
  }
});
