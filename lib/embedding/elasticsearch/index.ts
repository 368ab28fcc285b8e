/**
 * Query text embedded inside Elasticsearch by a deployed trained model (the Alibaba Cloud tutorial
 * deploys the multilingual CLIP text model `sentence-transformers__clip-vit-b-32-multilingual-v1`
 * with eland): `POST _ml/trained_models/<id>/_infer` with `{"docs":[{"text_field": ...}]}`.
 * Answers come as `inference_results[i].predicted_value` (8.3+) or, from older clusters, a flat
 * `predicted_value`. The deployment's state comes from `GET _ml/trained_models/<id>/_stats`.
 */
import type { Client } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import type { EmbeddingSpace, TextEmbedder } from "@/lib/embedding/types";
import { log } from "@/lib/log";
import { createClient, translateError } from "@/lib/store/elasticsearch/client";
import { l2normalize } from "@/lib/vector";

export type DeploymentState = "missing" | "not started" | "starting" | "started" | "failed" | "unknown";

export interface DeploymentReport {
  modelId: string;
  state: DeploymentState;
  detail?: string;
}

interface InferResponse {
  inference_results?: { predicted_value?: number[] }[];
  predicted_value?: number[];
}

interface StatsResponse {
  count?: number;
  trained_model_stats?: { model_id: string; deployment_stats?: { state?: string; reason?: string } }[];
}

/** Reads either documented response shape; returns one vector per document. */
export function parseInferResponse(body: InferResponse, expected: number): number[][] {
  const vectors = body.inference_results
    ? body.inference_results.map((r) => r.predicted_value)
    : body.predicted_value
      ? [body.predicted_value]
      : [];
  if (vectors.length !== expected || vectors.some((v) => !Array.isArray(v))) {
    throw new AppError("embedder_unavailable", "Elasticsearch _infer returned no text embedding (is the model a text_embedding model?)");
  }
  return vectors as number[][];
}

export function deploymentState(modelId: string, body: StatsResponse): DeploymentReport {
  const stats = body.trained_model_stats?.find((s) => s.model_id === modelId) ?? body.trained_model_stats?.[0];
  if (!stats) return { modelId, state: "missing", detail: `The cluster has no trained model ${modelId}: import it with eland.` };
  const state = stats.deployment_stats?.state;
  if (!state) return { modelId, state: "not started", detail: `Start it with POST _ml/trained_models/${modelId}/deployment/_start.` };
  if (state === "started") return { modelId, state: "started" };
  if (state === "starting") return { modelId, state: "starting", detail: "It is starting; searches by text work once it has started." };
  if (state === "failed")
    return { modelId, state: "failed", detail: `The deployment failed: ${stats.deployment_stats?.reason ?? "see the cluster's ML logs"}.` };
  return {
    modelId,
    state: "not started",
    detail: `The deployment is ${state}; start it with POST _ml/trained_models/${modelId}/deployment/_start.`,
  };
}

export class ElasticsearchTextEmbedder implements TextEmbedder {
  readonly textModelId: string;
  private readonly client: Client;

  constructor(
    readonly space: EmbeddingSpace,
    private readonly settings: Config["elasticsearch"],
    private readonly options: Config["textEmbedder"],
    private readonly fallback?: TextEmbedder,
  ) {
    this.textModelId = options.esModelId;
    this.client = createClient({ ...settings, requestTimeoutMs: options.timeoutMs });
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    try {
      return await this.infer(texts);
    } catch (error) {
      if (!this.fallback) throw error;
      log("warn", "Elasticsearch _infer failed; embedding on the server instead", {
        model: this.textModelId,
        error: (error as Error).message,
      });
      return this.fallback.embedTexts(texts);
    }
  }

  async deployment(): Promise<DeploymentReport> {
    try {
      const body = (await this.client.transport.request({
        method: "GET",
        path: `/_ml/trained_models/${encodeURIComponent(this.textModelId)}/_stats`,
      })) as StatsResponse;
      return deploymentState(this.textModelId, body);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return deploymentState(this.textModelId, {});
      return { modelId: this.textModelId, state: "unknown", detail: translateError(error, this.settings.node).message };
    }
  }

  async warm(): Promise<void> {
    const report = await this.deployment();
    if (report.state !== "started" && !this.fallback)
      throw new AppError("embedder_unavailable", report.detail ?? `model ${this.textModelId} is ${report.state}`);
  }

  private async infer(texts: string[]): Promise<Float32Array[]> {
    let body: InferResponse;
    try {
      body = (await this.client.transport.request({
        method: "POST",
        path: `/_ml/trained_models/${encodeURIComponent(this.textModelId)}/_infer`,
        body: { docs: texts.map((text) => ({ text_field: text })) },
      })) as InferResponse;
    } catch (error) {
      throw this.explain(error);
    }
    return parseInferResponse(body, texts.length).map((values) => {
      if (values.length !== this.space.dims) {
        throw new AppError(
          "model_mismatch",
          `model ${this.textModelId} returns ${values.length}-dim vectors; the index holds ${this.space.dims}`,
        );
      }
      return l2normalize(values);
    });
  }

  private explain(error: unknown): AppError {
    const status = (error as { statusCode?: number }).statusCode;
    const reason = (error as { body?: { error?: { reason?: string } } }).body?.error?.reason;
    if (status === 404)
      return new AppError(
        "embedder_unavailable",
        `Elasticsearch has no trained model ${this.textModelId} (${reason ?? "not found"}); import it with eland or set ES_MODEL_ID`,
        { cause: error },
      );
    if (status === 409 || status === 400)
      return new AppError("embedder_unavailable", `model ${this.textModelId} is not started: ${reason ?? "deployment missing"}`, {
        cause: error,
      });
    if (status === 408 || (error as Error)?.name === "TimeoutError") {
      return new AppError(
        "embedder_unavailable",
        `Elasticsearch _infer on ${this.textModelId} timed out after ${this.options.timeoutMs} ms`,
        { cause: error },
      );
    }
    return translateError(error, this.settings.node);
  }
}
