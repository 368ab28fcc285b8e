/** Messages between the page and the embedding worker. */

export interface BrowserTextModel {
  /** The model's id, sent with every vector so the server can check it. */
  modelId: string;
  dtype: string;
}

export interface BrowserModelConfig {
  /** CLIP's text tower, for English queries. */
  clip: BrowserTextModel;
  /** The multilingual encoder, for the rest (absent when the server turned it off). */
  multilingual?: BrowserTextModel;
  /** Where model files come from: this app's /api/models/ (local models) or a hub URL. */
  modelHost: string;
  local: boolean;
  /** onnxruntime-web runtime files, served by this app. */
  wasm: { mjs: string; wasm: string };
}

export type ToWorker =
  | { type: "embed"; id: number; text: string; config: BrowserModelConfig }
  /** Load the model a query like `hint` would be routed to, before any query. */
  | { type: "load"; hint: string; config: BrowserModelConfig };

export type FromWorker =
  | { type: "progress"; percent: number }
  | { type: "ready" }
  /** textModel: the model that embedded the text, chosen by the query's language as on the server. */
  | { type: "vector"; id: number; values: Float32Array; textModel: string }
  | { type: "error"; id: number; message: string };
