/**
 * The composition root: builds the store, embedders, search service and ingestor from config, once
 * per process (kept on globalThis so Next's dev-mode reloads reuse them rather than leak them).
 */
import path from "node:path";
import { config, type Config } from "@/lib/config";
import { createEmbedders, type Embedders } from "@/lib/embedding";
import { Ingestor } from "@/lib/ingest/pipeline";
import { SearchService } from "@/lib/search/service";
import { createStore } from "@/lib/store";
import type { PhotoStore } from "@/lib/store/types";
import { ThumbnailCache } from "@/lib/thumbnail-cache";

export interface AppContext {
  cfg: Config;
  store: PhotoStore;
  embedders: Embedders;
  search: SearchService;
  ingestor: Ingestor;
  /** Thumbnails made on request for photos ingest never saw. */
  thumbnails: ThumbnailCache;
}

export function buildContext(cfg: Config): AppContext {
  const store = createStore(cfg);
  const embedders = createEmbedders(cfg);
  const limits = { maxPixels: cfg.limits.maxImagePixels, thumbnailSize: cfg.limits.thumbnailSize };
  return {
    cfg,
    store,
    embedders,
    thumbnails: new ThumbnailCache(path.join(cfg.dataDir, "thumbnail-cache"), cfg.limits.thumbnailCacheBytes, limits),
    search: new SearchService({ store, text: embedders.text, image: embedders.image, limits }),
    ingestor: new Ingestor({
      store,
      embedder: embedders.image,
      dataDir: cfg.dataDir,
      limits: { ...limits, maxFileBytes: Math.max(cfg.limits.maxUploadBytes, 512 * 1024 * 1024) },
      batchSize: Math.max(cfg.models.batchSize, 8),
    }),
  };
}

const holder = globalThis as typeof globalThis & { __photoSearchContext?: AppContext };

export function appContext(): AppContext {
  holder.__photoSearchContext ??= buildContext(config());
  return holder.__photoSearchContext;
}

export async function closeAppContext(): Promise<void> {
  const context = holder.__photoSearchContext;
  holder.__photoSearchContext = undefined;
  await context?.store.close();
}
