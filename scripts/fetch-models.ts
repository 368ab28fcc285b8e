/**
 * npm run models:fetch [-- --dir <folder>]
 * Downloads the configured CLIP towers (IMAGE_MODEL, TEXT_MODEL and their precisions) from the hub,
 * or the mirror in HF_ENDPOINT, into <folder>/<model id>/…: the layout MODEL_DIR reads, so the
 * folder can be copied to a machine without access and used there offline with MODEL_DIR=<folder>.
 * Without --dir, into MODEL_CACHE_DIR (the Dockerfile's PRELOAD_MODELS bakes them into the image).
 * The multilingual text encoder's published files lack the projection into CLIP's space: it is
 * fetched when MULTILINGUAL_MODEL names a port that has it, else this says to export it (npm run
 * models:export) without failing, so a container build with PRELOAD_MODELS still succeeds.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { EXIT, runCli } from "./cli-context";
import { withDownloadBars } from "./model-progress";

runCli(async () => {
  const { values } = parseArgs({ options: { dir: { type: "string" } } });
  // Fetching means downloading: a MODEL_DIR in the environment (where the models will be used) is ignored here.
  const cfg = parseConfig({ ...process.env, MODEL_DIR: undefined, ...(values.dir ? { MODEL_CACHE_DIR: path.resolve(values.dir) } : {}) });
  const { image, clipText, multilingualText } = createServerEmbedders(cfg);
  const { models } = cfg;
  console.log(
    `fetching ${models.image.id} (${models.image.dtype}) and ${models.text.id} (${models.text.dtype}) from ${models.remoteHost ?? "the Hugging Face hub"} into ${models.cacheDir}`,
  );
  const started = Date.now();
  await withDownloadBars(async () => {
    // One after the other: the two towers share their configuration and tokenizer files.
    await image.warm();
    await clipText.warm();
  });
  console.log(`models ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Use them offline with MODEL_DIR=${models.cacheDir}`);
  if (multilingualText) {
    await withDownloadBars(() => multilingualText.warm()).then(
      () => console.log(`multilingual text model ready: ${multilingualText.textModelId}`),
      (error: Error) =>
        console.warn(
          `The multilingual text model ${multilingualText.textModelId} was not fetched (${error.message.split(". ")[0]}): ` +
            `it is exported, not fetched: MODEL_DIR=${models.cacheDir} npm run models:export (Python, where the hub or a mirror is reachable), ` +
            "or set MULTILINGUAL_MODEL=off.",
        ),
    );
  }
  return EXIT.ok;
});
