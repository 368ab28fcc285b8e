/**
 * npm run ingest -- <folder> [--metadata <file.json|file.csv>] [--json] [--keep-missing] [--watch]
 * Indexes every photo below <folder>. Safe to interrupt (Ctrl-C finishes the current batch) and to
 * re-run: photos already indexed are skipped, moved photos are re-pointed without re-embedding.
 * Photos stored under <folder> whose files are gone are removed (with --keep-missing, only listed);
 * --watch then keeps the folder in sync until Ctrl-C.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { appContext, closeAppContext } from "@/lib/context";
import { scanFolder, type SkippedEntry } from "@/lib/ingest/files";
import { loadMetadataFile } from "@/lib/ingest/metadata-file";
import type { IngestSummary } from "@/lib/ingest/pipeline";
import { reconcileMissing, type MissingPhotos } from "@/lib/ingest/sync";
import { watchFolder } from "@/lib/ingest/watch";
import { runCli } from "./cli-context";

const METADATA_NAMES = ["metadata.json", "metadata.csv", "captions.json", "captions.csv"];

function findMetadataFile(folder: string): string | undefined {
  for (const dir of [folder, path.dirname(folder)]) {
    // Only a regular file: a FIFO or device named metadata.json would block the run.
    const found = METADATA_NAMES.map((name) => path.join(dir, name)).find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
    if (found) return found;
  }
  return undefined;
}

function printSummary(summary: IngestSummary, skipped: SkippedEntry[], missing?: MissingPhotos): void {
  const seconds = summary.durationMs / 1000;
  console.log(
    `\n${summary.indexed} indexed, ${summary.unchanged} unchanged, ${summary.moved} moved, ${summary.updated} updated, ` +
      `${summary.failed.length} failed, of ${summary.total} files in ${seconds.toFixed(1)} s`,
  );
  for (const { file, reason } of summary.failed) console.log(`  failed: ${file}: ${reason}`);
  for (const { file, warning } of summary.warnings) console.log(`  warning: ${file}: ${warning}`);
  for (const { file, reason } of skipped) console.log(`  skipped: ${file}: ${reason}`);
  const gone = missing?.removed ? "removed from the library" : "kept (--keep-missing)";
  for (const { file, reason } of missing?.missing ?? []) console.log(`  missing: ${file}: ${reason ?? "file is gone"}; ${gone}`);
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      metadata: { type: "string" },
      json: { type: "boolean", default: false },
      "no-metadata": { type: "boolean", default: false },
      "keep-missing": { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) {
    console.error("usage: npm run ingest -- <folder> [--metadata <file.json|file.csv>] [--json]");
    return 2;
  }
  const folder = path.resolve(positionals[0]!); // exactly one, checked above
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    console.error(`error: ${folder} is not a folder`);
    return 2;
  }
  const { store, embedders, ingestor, cfg } = appContext();
  const log = values.json ? () => undefined : console.log;
  const metadataFile = values.metadata ?? (values["no-metadata"] ? undefined : findMetadataFile(folder));
  const metadata = metadataFile ? loadMetadataFile(metadataFile) : undefined;
  if (metadataFile) log(`metadata: ${metadataFile} (${metadata!.size} records)`);
  log(`store: ${store.kind}${store.kind === "embedded" ? ` in ${cfg.dataDir}` : ""}; model: ${embedders.space.modelId}`);

  await store.ensureIndex(embedders.space);
  const scan = scanFolder(folder, [cfg.dataDir]);
  const files = scan.files;
  const controller = new AbortController();
  process.once("SIGINT", () => {
    log("\ninterrupted: finishing the current batch; run the same command again to resume");
    controller.abort();
  });

  const bar = new cliProgress.SingleBar(
    {
      format: "{bar} {percentage}% | {value}/{total} photos | {rate}/s | ETA {eta_formatted} | {failed} failed",
      noTTYOutput: !values.json,
      notTTYSchedule: 5_000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let failed = 0;
  if (!values.json) bar.start(files.length, 0, { rate: "0.0", failed });
  try {
    const summary = await ingestor.ingest(folder, files, {
      textFor: metadata && ((file) => metadata.lookup(file)),
      signal: controller.signal,
      onProgress: ({ done, last }) => {
        if (last.outcome === "failed") failed++;
        const rate = done / Math.max((Date.now() - started) / 1000, 0.001);
        if (!values.json) bar.update(done, { rate: rate.toFixed(1), failed });
      },
    });
    if (!values.json) bar.stop();
    const context = { store, cfg };
    const missing = controller.signal.aborted
      ? undefined
      : await reconcileMissing(context, folder, scan, { keepMissing: values["keep-missing"] });
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
      return 0;
    }
    return controller.signal.aborted ? 130 : 0;
  } finally {
    if (!values.json) bar.stop();
    await closeAppContext();
  }
});
