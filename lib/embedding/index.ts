/** The embedders the app uses: CLIP images on the server; text on the server or in Elasticsearch. */
import type { Config } from "@/lib/config";
import { ElasticsearchTextEmbedder, type DeploymentReport } from "./elasticsearch";
import { createServerEmbedders } from "./server";
import type { ClipImageEmbedder, LoadState } from "./server/clip";
import type { EmbeddingSpace, TextEmbedder } from "./types";

export interface ManagedTextEmbedder extends TextEmbedder {
  warm(): Promise<void>;
  /** Server models: whether the model is loaded. */
  loadState?(): LoadState;
  /** Elasticsearch models: the trained model deployment's state. */
  deployment?(): Promise<DeploymentReport>;
}

export interface Embedders {
  space: EmbeddingSpace;
  image: ClipImageEmbedder;
  text: ManagedTextEmbedder;
}

export function createEmbedders(cfg: Config): Embedders {
  // The server's text model loads lazily, so building it costs nothing when Elasticsearch embeds text.
  const server = createServerEmbedders(cfg);
  if (cfg.textEmbedder.kind !== "elasticsearch") return server;
  const fallback = cfg.textEmbedder.fallback === "server" ? server.text : undefined;
  return { ...server, text: new ElasticsearchTextEmbedder(server.space, cfg.elasticsearch, cfg.textEmbedder, fallback) };
}
