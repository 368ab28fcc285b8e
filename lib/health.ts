/**
 * Liveness says the process answers; readiness says it can serve searches: the store is reachable,
 * its index holds the configured model's vectors, and the server is not shutting down. Readiness
 * also reports the document count and each embedder's state.
 */
import { appContext } from "@/lib/context";
import { isShuttingDown } from "@/lib/lifecycle";

const startedAt = Date.now();

export function liveness() {
  const memory = process.memoryUsage();
  return {
    status: "ok" as const,
    uptimeS: Math.round((Date.now() - startedAt) / 1000),
    memory: { rssMb: Math.round(memory.rss / 1048576), heapUsedMb: Math.round(memory.heapUsed / 1048576) },
  };
}

export async function readiness() {
  const { store, embedders, cfg } = appContext();
  const status = await store.status();
  const problems: string[] = [];
  if (!status.reachable) problems.push(status.detail ?? "the store is unreachable");
  if (status.model && (status.model.modelId !== embedders.space.modelId || status.model.dims !== embedders.space.dims)) {
    problems.push(`the index holds ${status.model.modelId} (${status.model.dims} dims) vectors; IMAGE_MODEL is ${embedders.space.modelId}`);
  }
  const text = embedders.text.deployment
    ? { embedder: "elasticsearch", ...(await embedders.text.deployment()) }
    : { embedder: "server", ...embedders.text.loadState!() };
  // Server text towers (CLIP's and the multilingual encoder): each one's load state.
  const towers = embedders.text.report?.() ?? [];
  for (const tower of towers) {
    if (tower.state === "failed") problems.push(`the ${tower.tower} text model ${tower.id} cannot load: ${tower.error}`);
  }
  if (text.embedder === "elasticsearch" && text.state === "failed")
    problems.push(`the text model cannot load: ${"detail" in text ? text.detail : ""}`);
  // Without a fallback, searches by text need the Elasticsearch model deployed and started.
  if (text.embedder === "elasticsearch" && text.state !== "started" && cfg.textEmbedder.fallback === "none") {
    problems.push(("detail" in text && text.detail) || `the text model is ${text.state}`);
  }
  if (isShuttingDown()) problems.push("shutting down");
  return {
    status: problems.length ? ("unavailable" as const) : ("ok" as const),
    ...(problems.length ? { problems } : {}),
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
