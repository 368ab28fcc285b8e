/**
 * Model download progress. transformers.js reports each file's bytes through `progress_callback`,
 * for downloads and for reads of local or cached files alike; a tracker counts only the files that
 * are really coming over the network (not yet in the download cache), sums them per model load,
 * and tells listeners, so readiness can report a percentage and the CLIs can draw a bar.
 */
import fs from "node:fs";
import path from "node:path";
import type { ProgressInfo } from "@huggingface/transformers";

export interface DownloadProgress {
  /** What is being loaded, e.g. "image model Xenova/clip-vit-base-patch32". */
  model: string;
  loadedBytes: number;
  /** Known so far: grows as files start (the hub sends each file's size). */
  totalBytes: number;
  /** Files being downloaded (0 while nothing is: a local folder, or everything cached). */
  files: number;
  /** The load finished (loaded or failed). */
  done: boolean;
}

type Listener = (progress: DownloadProgress) => void;

const listeners = new Set<Listener>();

/** Calls `listener` on every update of every model download in this process; returns the unsubscribe. */
export function onModelDownload(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this thread's listeners about a download: a tracker's own, or one a worker thread reported (text-thread.ts). */
export function announceModelDownload(progress: DownloadProgress): void {
  for (const listener of listeners) listener(progress);
}

export class DownloadTracker {
  private readonly files = new Map<string, { loaded: number; total: number }>();
  private finished = false;

  /** `cacheDir`: where downloads are kept; undefined when models come from a local folder (nothing downloads). */
  constructor(
    readonly model: string,
    private readonly cacheDir: string | undefined,
  ) {}

  /** Pass as transformers.js's `progress_callback`. */
  readonly callback = (info: ProgressInfo): void => {
    if (info.status === "progress_total") {
      // from_pretrained announces the model's files and sizes up front: the total is known early.
      for (const [file, { total }] of Object.entries(info.files)) this.record(info.name, file, undefined, total);
    } else if (info.status === "progress") {
      this.record(info.name, info.file, info.loaded, info.total);
    } else return;
    if (this.files.size > 0) this.emit();
  };

  /** Marks the load finished (loaded or failed), so listeners can close their bar. */
  finish(): void {
    this.finished = true;
    if (this.files.size > 0) this.emit();
  }

  snapshot(): DownloadProgress {
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const file of this.files.values()) {
      loadedBytes += file.loaded;
      totalBytes += Math.max(file.total, file.loaded);
    }
    return { model: this.model, loadedBytes, totalBytes, files: this.files.size, done: this.finished };
  }

  private record(name: string, file: string, loaded: number | undefined, total: number): void {
    const key = `${name}/${file}`;
    const known = this.files.get(key);
    if (!known && !this.downloads(name, file)) return;
    this.files.set(key, { loaded: loaded ?? known?.loaded ?? 0, total: total || known?.total || 0 });
  }

  /** A file not yet in the download cache is coming over the network (the cache keeps `<model id>/<file>`). */
  private downloads(name: string, file: string): boolean {
    return this.cacheDir !== undefined && !fs.existsSync(path.join(this.cacheDir, name, file));
  }

  private emit(): void {
    announceModelDownload(this.snapshot());
  }
}
