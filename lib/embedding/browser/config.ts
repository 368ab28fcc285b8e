/** What the browser needs to embed text like the server does. Nothing secret: ids, dtype and URLs. */
import type { Config } from "@/lib/config";
import type { BrowserModelConfig } from "./protocol";

export function browserModelConfig(cfg: Config): BrowserModelConfig | undefined {
  // The worker runs CLIP text towers; other encoder kinds, and models deployed in Elasticsearch, do not run in a browser.
  if (cfg.models.text.kind !== "clip" || cfg.textEmbedder.kind !== "server") return undefined;
  const local = Boolean(cfg.models.localDir);
  return {
    modelId: cfg.models.text.id,
    dtype: cfg.models.text.dtype,
    modelHost: local ? "/api/models/" : (cfg.models.remoteHost ?? "https://huggingface.co/"),
    local,
    wasm: { mjs: "/ort/ort-wasm-simd-threaded.asyncify.mjs", wasm: "/ort/ort-wasm-simd-threaded.asyncify.wasm" },
  };
}
