/**
 * `npm run ingest -- <folder> --watch`: keeps a folder in sync after the first ingest. chokidar
 * reports files added, changed and removed (waiting until a file stops growing, so a photo being
 * copied is read once it is complete); changes are gathered for a moment and handled one batch at
 * a time: new and changed files go through the ingest pipeline, and after any removal the folder is
 * reconciled (sync.ts), so removals, renames and moves all end up right.
 */
import path from "node:path";
import { watch } from "chokidar";
import type { Config } from "@/lib/config";
import type { PhotoStore } from "@/lib/store/types";
import { isImageFile, scanFolder, type SkippedEntry } from "./files";
import type { MetadataPatch } from "./metadata-schema";
import type { IngestSummary, Ingestor } from "./pipeline";
import { reconcileMissing, type MissingPhotos } from "./sync";

export interface FolderChange {
  summary: IngestSummary;
  skipped: SkippedEntry[];
  missing?: MissingPhotos;
}

export interface WatchOptions {
  /** Folders never looked into, such as DATA_DIR. */
  skip?: string[];
  keepMissing?: boolean;
  textFor?: (file: string) => MetadataPatch | undefined;
  signal: AbortSignal;
  onChange: (change: FolderChange) => void;
  /** How long changes are gathered before they are handled. */
  settleMs?: number;
  /** Called once the watcher has read the folder and reports changes. */
  onReady?: () => void;
}

/** Watches until `signal` aborts; resolves once the watcher is closed. */
export async function watchFolder(
  context: { store: PhotoStore; cfg: Pick<Config, "dataDir">; ingestor: Ingestor },
  folder: string,
  options: WatchOptions,
): Promise<void> {
  const root = path.resolve(folder);
  const skipped = (options.skip ?? []).map((p) => path.resolve(p));
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    awaitWriteFinish: { stabilityThreshold: 500, pollInterval: 100 },
    ignored: (file: string) =>
      path.basename(file).startsWith(".") || skipped.some((dir) => file === dir || file.startsWith(dir + path.sep)),
  });
  const changed = new Set<string>();
  let removals = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();

  const handle = async () => {
    const files = [...changed].filter(isImageFile).sort();
    const reconcile = removals;
    changed.clear();
    removals = false;
    const summary = await context.ingestor.ingest(root, files, { textFor: options.textFor });
    const scan = reconcile ? scanFolder(root, options.skip) : undefined;
    const missing = scan && (await reconcileMissing(context, root, scan, { keepMissing: options.keepMissing }));
    options.onChange({ summary, skipped: scan?.skipped ?? [], missing });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(handle).catch((error: Error) => console.error(`watch: ${error.message}`));
    }, options.settleMs ?? 1_000);
  };

  watcher.on("add", (file) => (changed.add(file), schedule()));
  // A changed file is new bytes (a new photo); the reconcile retires the old version.
  watcher.on("change", (file) => (changed.add(file), (removals = true), schedule()));
  watcher.on("unlink", (file) => (changed.delete(file), (removals = true), schedule()));
  watcher.on("unlinkDir", () => ((removals = true), schedule()));
  watcher.on("error", (error) => console.error(`watch: ${String((error as Error)?.message ?? error)}`));
  await new Promise<void>((resolve) => watcher.on("ready", () => resolve()));
  options.onReady?.();

  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await running;
  await watcher.close();
}
