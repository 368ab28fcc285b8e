/**
 * Points transformers.js at the configured model source once per process: a local folder (nothing
 * fetched), a Hugging Face mirror, or the hub itself; downloads are cached under MODEL_CACHE_DIR.
 */
import { env } from "@huggingface/transformers";
import type { Config } from "@/lib/config";

let configuredFor: string | undefined;

export function configureModelSource(models: Config["models"]): void {
  const key = JSON.stringify([models.localDir, models.remoteHost, models.cacheDir]);
  if (configuredFor === key) return;
  if (models.localDir) {
    env.localModelPath = models.localDir.endsWith("/") ? models.localDir : `${models.localDir}/`;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    if (models.remoteHost) env.remoteHost = models.remoteHost.endsWith("/") ? models.remoteHost : `${models.remoteHost}/`;
  }
  env.cacheDir = models.cacheDir;
  configuredFor = key;
}

/**
 * Options shared by every from_pretrained call: precision and CPU threads. `spin: false` lets the
 * model's idle threads sleep instead of spinning between operators and batches: the image model's,
 * since ingest decodes the next photos in libvips's threads while it runs, and on two cores a
 * spinning thread holds a core those decodes need (spinning was a third of the model's CPU time).
 */
export function sessionOptions(models: Config["models"], dtype: string, { spin = true } = {}) {
  const session_options = {
    ...(models.threads > 0 ? { intraOpNumThreads: models.threads } : {}),
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: "0" } } } }),
  };
  return {
    dtype: dtype as "fp32",
    device: "cpu" as const,
    ...(Object.keys(session_options).length ? { session_options } : {}),
  };
}
