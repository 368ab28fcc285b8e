/**
 * Model downloads in the CLIs: a progress bar per model being downloaded (size, rate, ETA) on
 * stderr, beside the command's other bars. Nothing shows when the models come from MODEL_DIR or
 * are already in the download cache. Without a terminal (a container build, a log file) the bars
 * are printed as lines every few seconds.
 */
import cliProgress from "cli-progress";
import { onModelDownload, type DownloadProgress } from "@/lib/embedding/server/download-progress";

// The numbers first: on a narrow terminal the line is cut at the end.
const DOWNLOAD_FORMAT = "{bar} {percentage}% | {size} | {speed} | ETA {eta_formatted} | {model}";

export function createBars(): cliProgress.MultiBar {
  return new cliProgress.MultiBar(
    { stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5_000, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
}

/** Shows every model download of this process in `bars`; returns the unsubscribe. */
export function showModelDownloads(bars: cliProgress.MultiBar): () => void {
  const shown = new Map<string, { bar: cliProgress.SingleBar; started: number }>();
  return onModelDownload((progress) => {
    let entry = shown.get(progress.model);
    if (!entry) {
      entry = { bar: bars.create(1, 0, payload(progress, 0), { format: DOWNLOAD_FORMAT, barsize: 24 }), started: Date.now() };
      shown.set(progress.model, entry);
    }
    entry.bar.setTotal(Math.max(progress.totalBytes, progress.loadedBytes, 1));
    entry.bar.update(progress.loadedBytes, payload(progress, (Date.now() - entry.started) / 1000));
    if (progress.done) entry.bar.stop();
  });
}

/** Runs `work` with a bar for each model download it causes; prints nothing when nothing downloads. */
export async function withDownloadBars<T>(work: () => Promise<T>): Promise<T> {
  const bars = createBars();
  const stop = showModelDownloads(bars);
  try {
    return await work();
  } finally {
    stop();
    if (bars.isActive) bars.stop();
  }
}

function payload(progress: DownloadProgress, seconds: number) {
  return {
    model: progress.model,
    size: `${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`,
    speed: seconds > 0 ? `${formatBytes(progress.loadedBytes / seconds)}/s` : "…",
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${Math.round(bytes)} B`;
}
