/// <reference lib="webworker" />
/**
 * Embeds query text in the browser with transformers.js on onnxruntime-web (WASM), off the main
 * thread. The query goes to the tower its language calls for, by the same rules as on the server
 * (lib/language): CLIP's text tower or the multilingual encoder, each with the server's model and
 * precision, so a vector made here lands in the same space as the index. The answer names the
 * model, and the server checks that name. Each tower downloads on its first query.
 */
import { AutoModel, AutoTokenizer, CLIPTextModelWithProjection, env, mean_pooling, type Tensor } from "@huggingface/transformers";
import { routeQuery } from "../../language";
import { encodeBatch } from "../tokenize";
import type { BrowserModelConfig, BrowserTextModel, FromWorker, ToWorker } from "./protocol";

declare const self: DedicatedWorkerGlobalScope;

type Encoder = (text: string) => Promise<Float32Array>;
type ProgressCallback = (p: { status: string; file?: string; loaded?: number; total?: number }) => void;
const encoders = new Map<string, Promise<Encoder>>();

function post(message: FromWorker) {
  self.postMessage(message);
}

function configure(config: BrowserModelConfig) {
  env.allowLocalModels = config.local;
  env.allowRemoteModels = !config.local;
  if (config.local) env.localModelPath = config.modelHost;
  else env.remoteHost = config.modelHost;
  env.backends.onnx.wasm!.wasmPaths = { ...config.wasm };
}

function progressReporter(): ProgressCallback {
  const loaded = new Map<string, number>();
  return (p) => {
    if (p.status !== "progress" || !p.file || !p.total) return;
    loaded.set(p.file, p.loaded! / p.total);
    post({ type: "progress", percent: Math.round((100 * [...loaded.values()].reduce((a, b) => a + b, 0)) / Math.max(loaded.size, 2)) });
  };
}

async function loadClip({ modelId, dtype }: BrowserTextModel, progress_callback: ProgressCallback): Promise<Encoder> {
  const tokenizer = await AutoTokenizer.from_pretrained(modelId, { progress_callback });
  const model = await CLIPTextModelWithProjection.from_pretrained(modelId, { dtype: dtype as "q8", device: "wasm", progress_callback });
  return async (text) => {
    const { text_embeds } = (await model(tokenizer([text], { padding: true, truncation: true }))) as { text_embeds: Tensor };
    return text_embeds.normalize(2, -1).data as Float32Array;
  };
}

/** As lib/embedding/server/multilingual.ts: the exported sentence_embedding, else mean pooling. */
async function loadMultilingual({ modelId, dtype }: BrowserTextModel, progress_callback: ProgressCallback): Promise<Encoder> {
  const tokenizer = await AutoTokenizer.from_pretrained(modelId, { progress_callback });
  const model = await AutoModel.from_pretrained(modelId, { dtype: dtype as "q8", device: "wasm", progress_callback });
  return async (text) => {
    const inputs = encodeBatch(tokenizer, [text]);
    const outputs = (await model(inputs)) as Record<string, Tensor | undefined>;
    const pooled = outputs.sentence_embedding ?? mean_pooling(outputs.last_hidden_state!, inputs.attention_mask);
    return pooled.normalize(2, -1).data as Float32Array;
  };
}

function encoderFor(text: string, config: BrowserModelConfig): { model: BrowserTextModel; encoder: Promise<Encoder> } {
  const multilingual = routeQuery(text).tower === "multilingual" ? config.multilingual : undefined;
  const model = multilingual ?? config.clip;
  let encoder = encoders.get(model.modelId);
  if (!encoder) {
    configure(config);
    encoder = (multilingual ? loadMultilingual : loadClip)(model, progressReporter());
    encoder.then(
      () => post({ type: "ready" }),
      () => encoders.delete(model.modelId), // let the next request try again
    );
    encoders.set(model.modelId, encoder);
  }
  return { model, encoder };
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "load") {
    // Opted in: load the tower a query like `hint` would use now; a failure is reported by the first query's own attempt.
    encoderFor(message.hint, message.config).encoder.catch(() => undefined);
    return;
  }
  const { id, text, config } = message;
  try {
    const { model, encoder } = encoderFor(text, config);
    const encode = await encoder;
    post({ type: "vector", id, values: await encode(text), textModel: model.modelId });
  } catch (error) {
    post({ type: "error", id, message: (error as Error).message ?? String(error) });
  }
};
