/**
 * Downloads the configured image and text models into MODEL_CACHE_DIR (used by the Dockerfile's
 * PRELOAD_MODELS build argument, or by hand before going offline).
 */
import { config } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { runCli } from "./cli-context";

runCli(async () => {
  const cfg = config();
  const { image, clipText, multilingualText } = createServerEmbedders(cfg);
  const started = Date.now();
  await Promise.all([image.warm(), clipText.warm()]);
  console.log(
    `models ready in ${cfg.models.cacheDir}: ${cfg.models.image.id} (${cfg.models.image.dtype}), ${cfg.models.text.id} (${cfg.models.text.dtype}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  // The hub's multilingual files lack the projection into CLIP's space: the exported folder comes from npm run models:export.
  await multilingualText?.warm().then(
    () => console.log(`multilingual text model ready: ${multilingualText.textModelId}`),
    (error: Error) =>
      console.warn(
        `multilingual text model not preloaded (${error.message}); export it with npm run models:export and give the folder with MODEL_DIR`,
      ),
  );
});
