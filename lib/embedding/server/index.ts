/** The server-side embedders for the configured models: CLIP's image and text towers and the multilingual text encoder. */
import os from "node:os";
import type { Config } from "@/lib/config";
import { RoutedTextEmbedder, type ServerTower } from "@/lib/embedding/routed";
import type { EmbeddingSpace } from "@/lib/embedding/types";
import { CLIP_DIMS, ClipImageEmbedder, ClipTextEmbedder } from "./clip";
import { MultilingualTextEmbedder } from "./multilingual";
import { BatchingTower, QueryVectorCache } from "./query-batching";
import { ThreadedTextTower, type TowerSpec } from "./text-thread";

export interface ServerEmbedders {
  space: EmbeddingSpace;
  image: ClipImageEmbedder;
  /** Query text, routed by language between the two towers below, micro-batched and cached (query-batching.ts). */
  text: RoutedTextEmbedder;
  clipText: ClipTextEmbedder;
  multilingualText?: MultilingualTextEmbedder;
}

export function createServerEmbedders(cfg: Config): ServerEmbedders {
  const space = { modelId: cfg.models.image.id, dims: CLIP_DIMS };
  const clipText = new ClipTextEmbedder(space, cfg.models);
  const multilingual = cfg.models.multilingual;
  const multilingualText = multilingual ? new MultilingualTextEmbedder(space, cfg.models, multilingual) : undefined;
  const cache = new QueryVectorCache();
  // The encoder thread leaves a core to the main thread, which goes on serving requests meanwhile
  // (onnxruntime's default is a thread per core). EMBED_THREADS, when set, decides.
  const queryModels = { ...cfg.models, threads: cfg.models.threads || Math.max(1, os.availableParallelism() - 1) };
  // Queries: in a worker thread (the encoder off the request path), micro-batched and cached. The
  // in-process towers stay for the CLIs that load or use them directly (models:fetch, the bench).
  const forQueries = (tower: ServerTower, spec: TowerSpec) => {
    const placed = cfg.models.textThread ? new ThreadedTextTower(spec, tower) : tower;
    return cfg.models.queryBatching ? new BatchingTower(placed, cache) : placed;
  };
  return {
    space,
    image: new ClipImageEmbedder(space, cfg.models),
    text: new RoutedTextEmbedder(space, {
      clip: forQueries(clipText, { kind: "clip", space, models: queryModels }),
      multilingual:
        multilingualText &&
        multilingual &&
        forQueries(multilingualText, { kind: "multilingual", space, models: queryModels, model: multilingual }),
    }),
    clipText,
    multilingualText,
  };
}
