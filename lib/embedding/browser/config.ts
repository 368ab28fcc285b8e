/** What the browser needs to embed text like the server does. Nothing secret: ids, dtypes and URLs. */
import type { Config } from "@/lib/config";
import type { BrowserModelConfig } from "./protocol";

/** Where onnxruntime-web's runtime is served: a folder named by its version (set by next.config.js). */
const ORT_ASSETS = process.env.ORT_ASSETS ?? "/ort/";

export function browserModelConfig(cfg: Config): BrowserModelConfig | undefined {
  // Models deployed in Elasticsearch do not run in a browser.
  if (cfg.textEmbedder.kind !== "server") return undefined;
  const local = Boolean(cfg.models.localDir);
  const multilingual = cfg.models.multilingual;
  return {
    clip: { modelId: cfg.models.text.id, dtype: cfg.models.text.dtype },
    ...(multilingual ? { multilingual: { modelId: multilingual.id, dtype: multilingual.dtype } } : {}),
    modelHost: local ? "/api/models/" : (cfg.models.remoteHost ?? "https://huggingface.co/"),
    local,
    wasm: { mjs: `${ORT_ASSETS}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ORT_ASSETS}ort-wasm-simd-threaded.asyncify.wasm` },
  };
}
