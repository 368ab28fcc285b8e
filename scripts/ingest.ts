/**
 * npm run ingest -- <folder> [--metadata <file.json|file.csv>] [--json] [--strict] [--keep-missing] [--force] [--watch] [--shard i/n]
 * Indexes every photo below <folder>. Safe to interrupt (Ctrl-C finishes the current batch) and to
 * re-run: photos already indexed are skipped, moved photos are re-pointed without re-embedding.
 * Photos stored under <folder> whose files are gone are removed (with --keep-missing, only listed),
 * unless the folder is missing, unreadable or empty: that looks like an unmounted drive, so nothing
 * is removed (exit 5) unless --force says the photos really are gone. --watch then keeps the folder
 * in sync until Ctrl-C (an unmount while watching removes nothing either, --force or not).
 * --shard i/n: this process embeds only the i-th of n shares of the photos (by content hash), so n
 * processes, here or on other machines, fill one index together with no photo embedded twice.
 * Exit codes scripts can trust: 0 done (some files may have failed: the summary lists them), 1 files
 * failed and none is in the library (with --strict: any file failed), 2 bad arguments or settings,
 * 3 the model cannot load, 4 the store is unreachable, 5 the folder looks unmounted and the library's
 * photos under it were kept, 130 interrupted (see scripts/cli-context.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { appContext, closeAppContext } from "@/lib/context";
import { scanFolder, type SkippedEntry } from "@/lib/ingest/files";
import { loadMetadataFile } from "@/lib/ingest/metadata-file";
import { parseShard } from "@/lib/ingest/shard";
import type { IngestSummary } from "@/lib/ingest/pipeline";
import { reconcileMissing, type MissingPhotos } from "@/lib/ingest/sync";
import { watchFolder } from "@/lib/ingest/watch";
import { assertStoreAccepts } from "@/lib/store/index-model";
import { EXIT, runCli } from "./cli-context";
import { createBars, showModelDownloads } from "./model-progress";

const METADATA_NAMES = ["metadata.json", "metadata.csv", "captions.json", "captions.csv"];

function findMetadataFile(folder: string): string | undefined {
  for (const dir of [folder, path.dirname(folder)]) {
    // Only a regular file: a FIFO or device named metadata.json would block the run.
    const found = METADATA_NAMES.map((name) => path.join(dir, name)).find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
    if (found) return found;
  }
  return undefined;
}

/** 1 when files failed and none of them is in the library, or with --strict when any failed. */
function exitCode(summary: IngestSummary, strict: boolean): number {
  const inLibrary = summary.indexed + summary.unchanged + summary.moved + summary.updated;
  return summary.failed.length > 0 && (strict || inLibrary === 0) ? EXIT.filesFailed : EXIT.ok;
}

function printSummary(summary: IngestSummary, skipped: SkippedEntry[], missing?: MissingPhotos): void {
  const seconds = summary.durationMs / 1000;
  console.log(
    `\n${summary.indexed} indexed, ${summary.unchanged} unchanged, ${summary.moved} moved, ${summary.updated} updated, ` +
      `${summary.failed.length} failed, ${summary.otherShard ? `${summary.otherShard} left to other shards, ` : ""}of ${summary.total} files in ${seconds.toFixed(1)} s`,
  );
  for (const { file, reason } of summary.failed) console.log(`  failed: ${file}: ${reason}`);
  for (const { file, warning } of summary.warnings) console.log(`  warning: ${file}: ${warning}`);
  for (const { file, reason } of skipped) console.log(`  skipped: ${file}: ${reason}`);
  const gone = missing?.removed ? "removed from the library" : "kept (--keep-missing)";
  for (const { file, reason } of missing?.missing ?? []) console.log(`  missing: ${file}: ${reason ?? "file is gone"}; ${gone}`);
  if (missing?.refused) console.error(`error: ${missing.refused}`);
}

const USAGE =
  "usage: npm run ingest -- <folder> [--metadata <file.json|file.csv>] [--json] [--strict] [--keep-missing] [--force] [--watch] [--shard i/n]";

/**
 * The folder is not there: a typo, or a drive that is not mounted. When the library has photos
 * under it, they are kept (exit 5) unless --force says they really are gone.
 */
async function missingFolder(folder: string, options: { keepMissing: boolean; force: boolean; json: boolean }): Promise<number> {
  const { store, cfg } = appContext();
  try {
    const missing = await reconcileMissing({ store, cfg }, folder, { files: [], unreadable: [] }, options).catch(() => undefined);
    if (!missing || (missing.missing.length === 0 && !missing.refused)) {
      console.error(`error: ${folder} is not a folder`);
      return EXIT.usage;
    }
    if (options.json) console.log(JSON.stringify({ missing }, null, 2));
    else if (missing.refused) console.error(`error: ${missing.refused}`);
    else
      printSummary(
        { indexed: 0, unchanged: 0, moved: 0, updated: 0, otherShard: 0, failed: [], warnings: [], total: 0, durationMs: 0 },
        [],
        missing,
      );
    return missing.refused ? EXIT.syncRefused : EXIT.ok;
  } finally {
    await closeAppContext();
  }
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      metadata: { type: "string" },
      json: { type: "boolean", default: false },
      "no-metadata": { type: "boolean", default: false },
      "keep-missing": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      shard: { type: "string" },
    },
  });
  const [target] = positionals;
  if (positionals.length !== 1 || target === undefined) {
    console.error(USAGE);
    return EXIT.usage;
  }
  const folder = path.resolve(target);
  const sync = { keepMissing: values["keep-missing"], force: values.force };
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return missingFolder(folder, { ...sync, json: values.json });
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && values.watch) {
    console.error("error: --watch follows the whole folder: run it in one process, without --shard");
    return EXIT.usage;
  }
  const { store, embedders, ingestor, cfg } = appContext();
  const log = values.json ? () => undefined : console.log;
  const metadataFile = values.metadata ?? (values["no-metadata"] ? undefined : findMetadataFile(folder));
  const metadata = metadataFile ? loadMetadataFile(metadataFile) : undefined;
  if (metadataFile) log(`metadata: ${metadataFile} (${metadata!.size} records)`);
  log(`store: ${store.kind}${store.kind === "embedded" ? ` in ${cfg.dataDir}` : ""}; model: ${embedders.space.modelId}`);

  // The store is bound to the model with the first photo written; a store holding another model's
  // photos stops the run here, before anything is embedded.
  await assertStoreAccepts(store, embedders.space);
  const scan = scanFolder(folder, [cfg.dataDir]);
  const files = scan.files;
  const controller = new AbortController();
  process.once("SIGINT", () => {
    log("\ninterrupted: finishing the current batch; run the same command again to resume");
    controller.abort();
  });

  // Photos, and any model download (size, rate, ETA) while the model loads, on stderr.
  const bars = values.json ? undefined : createBars();
  const stopDownloads = bars && showModelDownloads(bars);
  const bar = bars?.create(files.length, 0, { rate: "0.0", failed: 0 }, { format: PHOTOS_FORMAT });
  let barsShown = Boolean(bars);
  const stopBars = () => {
    if (!barsShown) return;
    barsShown = false;
    stopDownloads?.();
    bars?.stop();
  };
  const started = Date.now();
  let failed = 0;
  try {
    const summary = await ingestor.ingest(folder, files, {
      textFor: metadata && ((file) => metadata.lookup(file)),
      signal: controller.signal,
      shard,
      onProgress: ({ done, last }) => {
        if (last.outcome === "failed") failed++;
        const rate = done / Math.max((Date.now() - started) / 1000, 0.001);
        bar?.update(done, { rate: rate.toFixed(1), failed });
      },
    });
    stopBars();
    const context = { store, cfg };
    const missing = controller.signal.aborted ? undefined : await reconcileMissing(context, folder, scan, sync);
    if (values.json) console.log(JSON.stringify({ ...summary, skipped: scan.skipped, missing }, null, 2));
    else printSummary(summary, scan.skipped, missing);
    if (values.watch && !controller.signal.aborted) {
      log(`watching ${folder} (Ctrl-C to stop)`);
      await watchFolder({ store, cfg, ingestor }, folder, {
        skip: [cfg.dataDir],
        keepMissing: values["keep-missing"],
        textFor: metadata && ((file) => metadata.lookup(file)),
        signal: controller.signal,
        onChange: (change) =>
          values.json ? console.log(JSON.stringify(change)) : printSummary(change.summary, change.skipped, change.missing),
      });
      return EXIT.ok;
    }
    if (controller.signal.aborted) return EXIT.interrupted;
    return missing?.refused ? EXIT.syncRefused : exitCode(summary, values.strict);
  } finally {
    stopBars();
    await closeAppContext();
  }
});

const PHOTOS_FORMAT = "{bar} {percentage}% | {value}/{total} photos | {rate}/s | ETA {eta_formatted} | {failed} failed";
