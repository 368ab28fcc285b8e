/**
 * npm run duplicates [-- --near 0.95 --hash 10 --burst 0.85 --seconds 30 --neighbours 8]
 * Lists groups of near-identical copies and bursts in the library as JSON (lib/duplicates): each
 * photo's nearest neighbours from the store's kNN index, confirmed by a perceptual hash of its
 * thumbnail. Lower the thresholds to preview what a looser setting would group. Read-only.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { appContext, closeAppContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { differenceHash, findDuplicates, type DuplicateOptions } from "@/lib/duplicates";
import { thumbnailPath } from "@/lib/ingest/thumbnails";
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
  const number = (value: string | undefined, name: string) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw badRequest(`--${name} must be a non-negative number`);
    return n;
  };
  const options: Partial<DuplicateOptions> = JSON.parse(
    JSON.stringify({
      nearCosine: number(values.near, "near"),
      maxHashDistance: number(values.hash, "hash"),
      burstCosine: number(values.burst, "burst"),
      burstSeconds: number(values.seconds, "seconds"),
      neighbours: number(values.neighbours, "neighbours"),
    }),
  );
  try {
    const { store, cfg } = appContext();
    const hashOf = async (photo: { id: string }) => {
      const file = thumbnailPath(cfg.dataDir, photo.id);
      return fs.existsSync(file) ? differenceHash(file) : undefined;
    };
    const groups = await findDuplicates(store, hashOf, options);
    const view = groups.map((g) => ({
      class: g.class,
      minCosine: Math.round(g.minCosine * 1e4) / 1e4,
      photos: g.photos.map((p) => ({ id: p.id, path: p.path, takenAt: p.takenAt })),
    }));
    console.log(JSON.stringify({ groups: view.length, byClass: countBy(view.map((g) => g.class)), duplicates: view }, null, 2));
  } finally {
    await closeAppContext();
  }
});

function countBy(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((out, v) => ({ ...out, [v]: (out[v] ?? 0) + 1 }), {});
}
