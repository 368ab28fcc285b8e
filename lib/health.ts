/** What the health endpoint reports: the store (reachable, index, count, model) and the configured models. */
import { appContext } from "@/lib/context";

export async function health() {
  const { store, embedders, cfg } = appContext();
  const status = await store.status();
  const mismatch = status.model && status.model.modelId !== embedders.space.modelId;
  const ready = status.reachable && !mismatch;
  return {
    status: ready ? "ok" : "unavailable",
    store: status,
    models: {
      space: embedders.space,
      image: cfg.models.image,
      text: { id: cfg.models.text.id, dtype: cfg.models.text.dtype, kind: cfg.models.text.kind },
      source: cfg.models.localDir ? "local" : cfg.models.remoteHost ? "mirror" : "hub",
    },
    ...(mismatch ? { problem: `the index holds ${status.model!.modelId} vectors; IMAGE_MODEL is ${embedders.space.modelId}` } : {}),
    ...(status.reachable ? {} : { problem: status.detail }),
  };
}
