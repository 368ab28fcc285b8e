/** Messages between the page and the embedding worker. */

export interface BrowserModelConfig {
  /** The text model's id, sent with every vector so the server can check it. */
  modelId: string;
  dtype: string;
  /** Where model files come from: this app's /api/models/ (local models) or a hub URL. */
  modelHost: string;
  local: boolean;
  /** onnxruntime-web runtime files, served by this app. */
  wasm: { mjs: string; wasm: string };
}

export type ToWorker = { type: "embed"; id: number; text: string; config: BrowserModelConfig };

export type FromWorker =
  | { type: "progress"; percent: number }
  | { type: "ready" }
  | { type: "vector"; id: number; values: Float32Array }
  | { type: "error"; id: number; message: string };
