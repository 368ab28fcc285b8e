/** The embedders the app uses: CLIP images on the server; text on the server or in Elasticsearch. */
import type { Config } from "@/lib/config";
import { ElasticsearchTextEmbedder, type DeploymentReport } from "./elasticsearch";
import { CLIP_DIMS, ClipImageEmbedder, ClipTextEmbedder, type LoadState } from "./server/clip";
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
  const space = { modelId: cfg.models.image.id, dims: CLIP_DIMS };
  const image = new ClipImageEmbedder(space, cfg.models);
  if (cfg.textEmbedder.kind === "elasticsearch") {
    const fallback = cfg.textEmbedder.fallback === "server" ? new ClipTextEmbedder(space, cfg.models) : undefined;
    return { space, image, text: new ElasticsearchTextEmbedder(space, cfg.elasticsearch, cfg.textEmbedder, fallback) };
  }
  return { space, image, text: new ClipTextEmbedder(space, cfg.models) };
}
