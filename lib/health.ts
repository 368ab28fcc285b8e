/**
 * Liveness says the process answers; readiness says it can serve searches: the store is reachable,
 * its index holds the configured model's vectors, and the server is not shutting down. Readiness
 * also reports the document count and each embedder's state.
 */
import { appContext } from "@/lib/context";
import { isShuttingDown } from "@/lib/lifecycle";
import type { IndexModel } from "@/lib/store/types";

const startedAt = Date.now();

export function liveness() {
  const memory = process.memoryUsage();
  return {
    status: "ok" as const,
    uptimeS: Math.round((Date.now() - startedAt) / 1000),
    memory: { rssMb: Math.round(memory.rss / 1048576), heapUsedMb: Math.round(memory.heapUsed / 1048576) },
  };
}

/** Why the app is not ready, by name (for probes and dashboards); each comes with a message in `problems`. */
export type NotReadyReason =
  | "store_unreachable"
  | "index_unusable"
  | "index_model_mismatch"
  | "index_dims_mismatch"
  | "text_model_failed"
  | "text_model_not_started"
  | "shutting_down";

/**
 * Whether the index holds vectors the configured model can search. An index made elsewhere (the
 * tutorial's, the embeddings generator's) records no model: its vector size is all that can be
 * checked, and readiness says so (`recorded: false`).
 */
function indexProblem(model: IndexModel, space: IndexModel, index: string): [NotReadyReason, string] | undefined {
  if (model.dims !== space.dims) {
    return [
      "index_dims_mismatch",
      `index ${index} holds ${model.dims}-dim vectors, but IMAGE_MODEL ${space.modelId} makes ${space.dims}-dim ones; ` +
        `set IMAGE_MODEL to the model that built the index, or ES_INDEX to another index`,
    ];
  }
  if (model.recorded !== false && model.modelId !== space.modelId) {
    return ["index_model_mismatch", `index ${index} holds ${model.modelId} vectors; IMAGE_MODEL is ${space.modelId}`];
  }
  return undefined;
}

export async function readiness() {
  const { store, embedders, cfg } = appContext();
  const status = await store.status();
  const problems: string[] = [];
  const reasons: NotReadyReason[] = [];
  const notReady = (reason: NotReadyReason, message: string) => {
    reasons.push(reason);
    problems.push(message);
  };
  const index = store.kind === "elasticsearch" ? cfg.elasticsearch.index : "the library";
  if (!status.reachable) notReady("store_unreachable", status.detail ?? "the store is unreachable");
  else if (status.detail) notReady("index_unusable", status.detail); // reachable, but the index cannot be searched
  const mismatch = status.model && indexProblem(status.model, embedders.space, index);
  if (mismatch) notReady(...mismatch);
  const text = embedders.text.deployment
    ? { embedder: "elasticsearch", ...(await embedders.text.deployment()) }
    : { embedder: "server", ...embedders.text.loadState!() };
  // Server text towers (CLIP's and the multilingual encoder): each one's load state.
  const towers = embedders.text.report?.() ?? [];
  for (const tower of towers) {
    if (tower.state === "failed") notReady("text_model_failed", `the ${tower.tower} text model ${tower.id} cannot load: ${tower.error}`);
  }
  if (text.embedder === "elasticsearch" && text.state === "failed")
    notReady("text_model_failed", `the text model cannot load: ${"detail" in text ? text.detail : ""}`);
  // Without a fallback, searches by text need the Elasticsearch model deployed and started.
  if (text.embedder === "elasticsearch" && text.state !== "started" && cfg.textEmbedder.fallback === "none") {
    notReady("text_model_not_started", ("detail" in text && text.detail) || `the text model is ${text.state}`);
  }
  if (isShuttingDown()) notReady("shutting_down", "shutting down");
  return {
    status: problems.length ? ("unavailable" as const) : ("ok" as const),
    ...(problems.length ? { problems, reasons } : {}),
    store: status,
    models: {
      space: embedders.space,
      image: { ...cfg.models.image, ...embedders.image.loadState() },
      text: { id: embedders.text.textModelId, dtype: cfg.models.text.dtype, ...text },
      ...(towers.length ? { textTowers: towers.map((tower) => ({ ...tower, dtype: cfg.models.text.dtype })) } : {}),
      source: cfg.models.localDir ? "local" : cfg.models.remoteHost ? "mirror" : "hub",
    },
  };
}
