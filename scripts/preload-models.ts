/**
 * Downloads the configured image and text models into MODEL_CACHE_DIR (used by the Dockerfile's
 * PRELOAD_MODELS build argument, or by hand before going offline).
 */
import { config } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { runCli } from "./cli-context";

runCli(async () => {
  const cfg = config();
  const { image, text } = createServerEmbedders(cfg);
  const started = Date.now();
  await Promise.all([image.warm(), text.warm()]);
  console.log(
    `models ready in ${cfg.models.cacheDir}: ${cfg.models.image.id} (${cfg.models.image.dtype}), ${cfg.models.text.id} (${cfg.models.text.dtype}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
