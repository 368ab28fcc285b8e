/** Chooses the store from config: Elasticsearch when ES_HOST is set (or STORE says so), embedded otherwise. */
import type { Config } from "@/lib/config";
import { ElasticsearchStore } from "./elasticsearch";
import { EmbeddedStore } from "./embedded";
import type { PhotoStore } from "./types";

export function createStore(cfg: Config): PhotoStore {
  return cfg.store === "elasticsearch"
    ? new ElasticsearchStore(cfg.elasticsearch)
    : new EmbeddedStore(cfg.dataDir, { graphMinRows: cfg.graphIndexMinPhotos, rescoreThreadMinRows: cfg.rescoreThreadMinPhotos });
}

export type * from "./types";
