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

/** Options shared by every from_pretrained call: precision and CPU threads. */
export function sessionOptions(models: Config["models"], dtype: string) {
  return {
    dtype: dtype as "fp32",
    device: "cpu" as const,
    ...(models.threads > 0 ? { session_options: { intraOpNumThreads: models.threads } } : {}),
  };
}
