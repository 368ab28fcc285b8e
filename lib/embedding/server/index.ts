/** The server-side CLIP embedders for the configured models. */
import type { Config } from "@/lib/config";
import type { EmbeddingSpace } from "@/lib/embedding/types";
import { CLIP_DIMS, ClipImageEmbedder, ClipTextEmbedder } from "./clip";

export interface ServerEmbedders {
  space: EmbeddingSpace;
  image: ClipImageEmbedder;
  text: ClipTextEmbedder;
}

export function createServerEmbedders(cfg: Config): ServerEmbedders {
  const space = { modelId: cfg.models.image.id, dims: CLIP_DIMS };
  return { space, image: new ClipImageEmbedder(space, cfg.models), text: new ClipTextEmbedder(space, cfg.models) };
}
