/**
 * Query text embedded inside Elasticsearch by a deployed trained model (the Alibaba Cloud tutorial
 * deploys the multilingual CLIP text model `sentence-transformers__clip-vit-b-32-multilingual-v1`
 * with eland): `POST _ml/trained_models/<id>/_infer?timeout=…` with `{"docs":[{"text_field": ...}]}`
 * (8.3+), answered with `{"inference_results":[{"predicted_value":[...]}]}`. The `timeout` parameter
 * makes the cluster wait as long as we do (its default is 10 s). The deployment's state comes from
 * `GET _ml/trained_models/<id>/_stats`; a cluster without machine learning, or without a licence for
 * it, is told apart from a model that is missing, not started, starting or failed.
 */
import type { Client } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import type { EmbeddingSpace, TextEmbedder } from "@/lib/embedding/types";
import { log } from "@/lib/log";
import { createClient, translateError } from "@/lib/store/elasticsearch/client";
import { l2normalize } from "@/lib/vector";

export type DeploymentState = "no ml" | "unlicensed" | "missing" | "not started" | "starting" | "started" | "failed" | "unknown";

export interface DeploymentReport {
  modelId: string;
  state: DeploymentState;
  detail?: string;
}

/** The documented body of `POST _ml/trained_models/<id>/_infer`. */
interface InferResponse {
  inference_results?: { predicted_value?: unknown }[];
}

interface StatsResponse {
  count?: number;
  trained_model_stats?: { model_id: string; deployment_stats?: { state?: string; reason?: string } }[];
}

/** The client's time limit exceeds the one the cluster is given, so the cluster's own answer arrives first. */
const CLIENT_GRACE_MS = 2_000;

const USE_SERVER = "set ES_INFER_FALLBACK=server to embed on this server meanwhile, or TEXT_EMBEDDER=server";

/** Reads `inference_results`; returns one vector per document. */
export function parseInferResponse(body: InferResponse, expected: number): number[][] {
  const vectors = (body.inference_results ?? []).map((r) => r.predicted_value);
  if (vectors.length !== expected || !vectors.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number"))) {
    throw new AppError("embedder_unavailable", "Elasticsearch _infer returned no text embedding (is the model a text_embedding model?)");
  }
  return vectors as number[][];
}

export function deploymentState(modelId: string, body: StatsResponse): DeploymentReport {
  const stats = body.trained_model_stats?.find((s) => s.model_id === modelId) ?? body.trained_model_stats?.[0];
  if (!stats)
    return { modelId, state: "missing", detail: `The cluster has no trained model ${modelId}: import it with eland, or set ES_MODEL_ID.` };
  const state = stats.deployment_stats?.state;
  if (!state) return { modelId, state: "not started", detail: `Start it with POST _ml/trained_models/${modelId}/deployment/_start.` };
  if (state === "started") return { modelId, state: "started" };
  if (state === "starting") return { modelId, state: "starting", detail: "It is starting; searches by text work once it has started." };
  if (state === "failed")
    return {
      modelId,
      state: "failed",
      detail: `The deployment failed: ${stats.deployment_stats?.reason ?? "see the cluster's ML logs"}. Stop it and start it again (POST _ml/trained_models/${modelId}/deployment/_stop, then _start), or give the ML nodes more memory.`,
    };
  return {
    modelId,
    state: "not started",
    detail: `The deployment is ${state}; start it with POST _ml/trained_models/${modelId}/deployment/_start.`,
  };
}

function errorReason(error: unknown): string | undefined {
  const body = (error as { body?: { error?: string | { reason?: string; type?: string } } }).body;
  return typeof body?.error === "string" ? body.error : (body?.error?.reason ?? body?.error?.type);
}

/**
 * What an ML error says about the cluster itself: no machine learning at all (its `_ml` endpoints do
 * not exist: 400 "no handler found") or no licence for it (403 "current license is non-compliant for
 * [ml]"). Undefined for anything else.
 */
export function clusterMlProblem(modelId: string, error: unknown): DeploymentReport | undefined {
  const status = (error as { statusCode?: number }).statusCode;
  const reason = errorReason(error) ?? "";
  if (status === 400 && /no handler found/i.test(reason))
    return {
      modelId,
      state: "no ml",
      detail: `This cluster has no machine learning (${reason}): it needs Elasticsearch 8.3+ with ML nodes to embed text; ${USE_SERVER}.`,
    };
  if (status === 403 && /licen[cs]e/i.test(reason))
    return {
      modelId,
      state: "unlicensed",
      detail: `This cluster's licence does not include machine learning (${reason}): start a trial or a Platinum/Enterprise licence, or ${USE_SERVER}.`,
    };
  return undefined;
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
    this.client = createClient({ ...settings, requestTimeoutMs: options.timeoutMs + CLIENT_GRACE_MS });
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
      return (
        clusterMlProblem(this.textModelId, error) ?? {
          modelId: this.textModelId,
          state: "unknown",
          detail: translateError(error, this.settings).message,
        }
      );
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
        querystring: { timeout: `${this.options.timeoutMs}ms` },
        body: { docs: texts.map((text) => ({ text_field: text })) },
      })) as InferResponse;
    } catch (error) {
      throw await this.explain(error);
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

  /** Names the cause of a failed _infer and what to do: the cluster, the model, its deployment, or time. */
  private async explain(error: unknown): Promise<AppError> {
    const status = (error as { statusCode?: number }).statusCode;
    const reason = errorReason(error);
    const unavailable = (detail: string) => new AppError("embedder_unavailable", detail, { cause: error });
    const cluster = clusterMlProblem(this.textModelId, error);
    if (cluster) return unavailable(cluster.detail!);
    if (status === 404)
      return unavailable(
        `Elasticsearch has no trained model ${this.textModelId} (${reason ?? "not found"}); import it with eland or set ES_MODEL_ID`,
      );
    if (status === 408 || (error as Error)?.name === "TimeoutError")
      return unavailable(
        `Elasticsearch _infer on ${this.textModelId} timed out after ${this.options.timeoutMs} ms (${reason ?? "no answer"}); raise ES_INFER_TIMEOUT_MS or the deployment's allocations`,
      );
    if (status === 429)
      return unavailable(
        `model ${this.textModelId}'s inference queue is full (${reason}); raise the deployment's allocations or queue_capacity`,
      );
    if (status === 409 || status === 400) {
      // The deployment is not serving: its stats say whether it is missing, starting, failed or stopped.
      const report = await this.deployment();
      const state = report.state === "started" || report.state === "unknown" ? "not started" : report.state;
      return unavailable(`model ${this.textModelId} is ${state}: ${reason ?? "not allocated"}. ${report.detail ?? ""}`.trim());
    }
    return translateError(error, this.settings);
  }
}
