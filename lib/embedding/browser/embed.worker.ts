/// <reference lib="webworker" />
/**
 * Embeds query text in the browser with transformers.js on onnxruntime-web (WASM), off the main
 * thread. The model and its precision are the server's text model and dtype, so a vector made here
 * lands in the same space as the index (the server checks the model id it is sent with).
 */
import { AutoTokenizer, CLIPTextModelWithProjection, env, type Tensor } from "@huggingface/transformers";
import type { BrowserModelConfig, FromWorker, ToWorker } from "./protocol";

declare const self: DedicatedWorkerGlobalScope;

type Encoder = (text: string) => Promise<Float32Array>;
let encoder: Promise<Encoder> | undefined;

function post(message: FromWorker) {
  self.postMessage(message);
}

async function load(config: BrowserModelConfig): Promise<Encoder> {
  env.allowLocalModels = config.local;
  env.allowRemoteModels = !config.local;
  if (config.local) env.localModelPath = config.modelHost;
  else env.remoteHost = config.modelHost;
  env.backends.onnx.wasm!.wasmPaths = { ...config.wasm };
  const loaded = new Map<string, number>();
  const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (p.status !== "progress" || !p.file || !p.total) return;
    loaded.set(p.file, p.loaded! / p.total);
    post({ type: "progress", percent: Math.round((100 * [...loaded.values()].reduce((a, b) => a + b, 0)) / Math.max(loaded.size, 2)) });
  };
  const tokenizer = await AutoTokenizer.from_pretrained(config.modelId, { progress_callback });
  const model = await CLIPTextModelWithProjection.from_pretrained(config.modelId, {
    dtype: config.dtype as "q8",
    device: "wasm",
    progress_callback,
  });
  post({ type: "ready" });
  return async (text) => {
    const { text_embeds } = (await model(tokenizer([text], { padding: true, truncation: true }))) as { text_embeds: Tensor };
    return text_embeds.normalize(2, -1).data as Float32Array;
  };
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const { id, text, config } = event.data;
  try {
    encoder ??= load(config);
    const encode = await encoder;
    post({ type: "vector", id, values: await encode(text) });
  } catch (error) {
    encoder = undefined; // let the next request try again
    post({ type: "error", id, message: (error as Error).message ?? String(error) });
  }
};
