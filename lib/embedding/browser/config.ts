/** What the browser needs to embed text like the server does. Nothing secret: ids, dtypes and URLs. */
import type { Config } from "@/lib/config";
import type { BrowserModelConfig } from "./protocol";

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
    wasm: { mjs: "/ort/ort-wasm-simd-threaded.asyncify.mjs", wasm: "/ort/ort-wasm-simd-threaded.asyncify.wasm" },
  };
}
