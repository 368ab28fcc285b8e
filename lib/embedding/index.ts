/** The embedders the app uses: CLIP images on the server; query text on the server (routed by language) or in Elasticsearch. */
import type { Config } from "@/lib/config";
import { routeQuery } from "@/lib/language";
import { log } from "@/lib/log";
import { ElasticsearchTextEmbedder, type DeploymentReport } from "./elasticsearch";
import type { TowerReport } from "./routed";
import { createServerEmbedders } from "./server";
import type { ClipImageEmbedder, LoadState } from "./server/clip";
import type { EmbeddingSpace, QueryChoice, QueryEmbedder, QueryEmbedding } from "./types";

export interface ManagedTextEmbedder extends QueryEmbedder {
  warm(): Promise<void>;
  /** Server models: whether CLIP's text tower is loaded. */
  loadState?(): LoadState;
  /** Server models: each text tower's state. */
  report?(): TowerReport[];
  /** Elasticsearch models: the trained model deployment's state. */
  deployment?(): Promise<DeploymentReport>;
}

export interface Embedders {
  space: EmbeddingSpace;
  image: ClipImageEmbedder;
  text: ManagedTextEmbedder;
}

export function createEmbedders(cfg: Config): Embedders {
  // The server's text models load lazily, so building them costs nothing when Elasticsearch embeds text.
  const server = createServerEmbedders(cfg);
  if (cfg.textEmbedder.kind !== "elasticsearch") return server;
  const cluster = new ElasticsearchTextEmbedder(server.space, cfg.elasticsearch, cfg.textEmbedder);
  return { ...server, text: new ClusterTextEmbedder(cluster, cfg.textEmbedder.fallback === "server" ? server.text : undefined) };
}

/**
 * TEXT_EMBEDDER=elasticsearch, as in the tutorial: every query, whatever its language, goes through
 * the cluster's multilingual model. With ES_INFER_FALLBACK=server, a failed _infer is answered by
 * the server's routed towers, and the answer names the model that really made the vector.
 */
class ClusterTextEmbedder implements ManagedTextEmbedder {
  constructor(
    private readonly cluster: ElasticsearchTextEmbedder,
    private readonly fallback?: ManagedTextEmbedder,
  ) {}

  get space() {
    return this.cluster.space;
  }

  get textModelId() {
    return this.cluster.textModelId;
  }

  get textModelIds() {
    return [this.cluster.textModelId, ...(this.fallback?.textModelIds ?? [])];
  }

  async embedQuery(text: string, choice: QueryChoice = {}): Promise<QueryEmbedding> {
    try {
      const [vector] = await this.cluster.embedTexts([text]);
      return { vector: vector!, textModel: this.cluster.textModelId, language: routeQuery(text, { lang: choice.lang }).language };
    } catch (error) {
      if (!this.fallback) throw error;
      this.warnFallback(error);
      return this.fallback.embedQuery(text, choice);
    }
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    try {
      return await this.cluster.embedTexts(texts);
    } catch (error) {
      if (!this.fallback) throw error;
      this.warnFallback(error);
      return this.fallback.embedTexts(texts);
    }
  }

  async warm(): Promise<void> {
    try {
      await this.cluster.warm();
    } catch (error) {
      if (!this.fallback) throw error;
    }
  }

  deployment(): Promise<DeploymentReport> {
    return this.cluster.deployment();
  }

  /** The server towers, when they stand by as the fallback. */
  report(): TowerReport[] {
    return this.fallback?.report?.() ?? [];
  }

  private warnFallback(error: unknown) {
    log("warn", "Elasticsearch _infer failed; embedding on the server instead", {
      model: this.cluster.textModelId,
      error: (error as Error).message,
    });
  }
}
