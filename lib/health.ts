/**
 * Liveness says the process answers; readiness says it can serve searches: the store is reachable,
 * its index holds the configured model's vectors, and the server is not shutting down. Readiness
 * also reports the document count and each embedder's state.
 */
import { appContext } from "@/lib/context";
import { isShuttingDown } from "@/lib/lifecycle";
import type { IndexModel, IndexPlace, StoreStatus } from "@/lib/store/types";

const startedAt = Date.now();

export function liveness() {
  const memory = process.memoryUsage();
  return {
    status: "ok" as const,
    uptimeS: Math.round((Date.now() - startedAt) / 1000),
    memory: { rssMb: Math.round(memory.rss / 1048576), heapUsedMb: Math.round(memory.heapUsed / 1048576) },
  };
}

/**
 * Why the app is not ready, by name (for probes, dashboards, and the gallery, which translates
 * them); each comes with a message in `problems`. model_unavailable: a server model cannot be
 * loaded (not in MODEL_DIR, or no hub or mirror): its message names the ways out.
 */
export type NotReadyReason =
  | "store_unreachable"
  | "index_unusable"
  | "index_model_mismatch"
  | "index_dims_mismatch"
  | "model_unavailable"
  | "text_model_failed"
  | "text_model_not_started"
  | "shutting_down";

/**
 * Whether the index holds vectors the configured model can search. An index made elsewhere (the
 * tutorial's, the embeddings generator's) records no model: its vector size is all that can be
 * checked, and readiness says so (`recorded: false`).
 */
function indexProblem(model: IndexModel, space: IndexModel, place: IndexPlace): [NotReadyReason, string] | undefined {
  if (model.dims !== space.dims) {
    return [
      "index_dims_mismatch",
      `${place.name} holds ${model.dims}-dim vectors, but IMAGE_MODEL ${space.modelId} makes ${space.dims}-dim ones; ` +
        `set IMAGE_MODEL to the model that built the index, or ${place.fresh}`,
    ];
  }
  if (model.recorded !== false && model.modelId !== space.modelId) {
    return ["index_model_mismatch", `${place.name} holds ${model.modelId} vectors; IMAGE_MODEL is ${space.modelId}`];
  }
  return undefined;
}

/**
 * A cluster that lost a node, or is copying shards back, still answers searches: that is degraded
 * (ready, HTTP 200), not down. Taking the app out of the load balancer then would turn a node's
 * failure into an outage. Red (a primary shard missing) still answers, without that shard's photos.
 */
function degradedBy(health: StoreStatus["health"]): string | undefined {
  if (!health || health.status === "green") return undefined;
  // One data node can never hold a replica: an index asking for one (the peers' mappings keep the
  // default of 1) is yellow for good there, which is that cluster's normal state, not a failure.
  if (health.status === "yellow" && health.nodes <= 1 && health.initializingShards === 0) return undefined;
  if (health.status === "electing") return "the cluster is electing a master (a node left); searches answer, writes wait for it";
  const shards = `${health.unassignedShards} unassigned, ${health.initializingShards} initializing shard copies, ${health.nodes} nodes`;
  return health.status === "yellow"
    ? `the index is yellow: a replica is missing or recovering (${shards}); searches answer, a further node failure could lose some`
    : `the index is red: a primary shard is missing (${shards}); searches answer without its photos until it recovers`;
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
  if (!status.reachable) notReady("store_unreachable", status.detail ?? "the store is unreachable");
  else if (status.detail) notReady("index_unusable", status.detail); // reachable, but the index cannot be searched
  // The app's own index that holds no photos is not bound to a model yet: the next ingest rebinds it.
  const unbound = status.model?.recorded !== false && status.count === 0;
  const mismatch = status.model && !unbound && indexProblem(status.model, embedders.space, store.place);
  if (mismatch) notReady(...mismatch);
  const image = embedders.image.loadState();
  const text = embedders.text.deployment
    ? { embedder: "elasticsearch", ...(await embedders.text.deployment()) }
    : { embedder: "server", ...embedders.text.loadState!() };
  // Server text towers (CLIP's and the multilingual encoder): each one's load state.
  const towers = embedders.text.report?.() ?? [];
  for (const tower of towers) {
    if (tower.state === "failed") notReady("model_unavailable", tower.error ?? `the ${tower.tower} text model ${tower.id} cannot load`);
  }
  // The models come from the same source: the image model's failure is said only when the text models' is not.
  if (image.state === "failed" && !reasons.includes("model_unavailable")) notReady("model_unavailable", image.error);
  if (text.embedder === "elasticsearch" && text.state === "failed")
    notReady("text_model_failed", `the text model cannot load: ${"detail" in text ? text.detail : ""}`);
  // Without a fallback, searches by text need the Elasticsearch model deployed and started.
  if (text.embedder === "elasticsearch" && text.state !== "started" && cfg.textEmbedder.fallback === "none") {
    notReady("text_model_not_started", ("detail" in text && text.detail) || `the text model is ${text.state}`);
  }
  if (isShuttingDown()) notReady("shutting_down", "shutting down");
  const degraded = degradedBy(status.health);
  return {
    status: problems.length ? ("unavailable" as const) : degraded ? ("degraded" as const) : ("ok" as const),
    ...(problems.length ? { problems, reasons } : {}),
    ...(degraded && !problems.length ? { degraded } : {}),
    store: status,
    models: {
      space: embedders.space,
      image: { ...cfg.models.image, ...image },
      text: { id: embedders.text.textModelId, dtype: cfg.models.text.dtype, ...text },
      ...(towers.length ? { textTowers: towers.map((tower) => ({ ...tower, dtype: cfg.models.text.dtype })) } : {}),
      source: cfg.models.localDir ? "local" : cfg.models.remoteHost ? "mirror" : "hub",
    },
  };
}

export type Readiness = Awaited<ReturnType<typeof readiness>>;
