import { AppError } from "@/lib/errors";
import type { IndexModel, IndexPlace, PhotoStore } from "@/lib/store/types";

export function sameModel(existing: IndexModel, wanted: IndexModel): boolean {
  return (existing.recorded === false || existing.modelId === wanted.modelId) && existing.dims === wanted.dims;
}

/** Both stores refuse to mix vectors from different models in one index. */
export function assertSameModel(existing: IndexModel, wanted: IndexModel, place: IndexPlace): void {
  if (sameModel(existing, wanted)) return;
  throw new AppError(
    "model_mismatch",
    `${place.name} holds ${existing.dims}-dim vectors from ${existing.modelId}, but IMAGE_MODEL is ` +
      `${wanted.modelId} (${wanted.dims} dims). Set IMAGE_MODEL=${existing.modelId}, or ${place.fresh}.`,
  );
}

/**
 * Whether `store` would take photos from `wanted`, checked without binding it (ensureIndex binds
 * with the first write): so a run with the wrong model stops before embedding anything.
 */
export async function assertStoreAccepts(store: PhotoStore, wanted: IndexModel): Promise<void> {
  const existing = await store.indexModel();
  if (existing && !sameModel(existing, wanted) && (await store.count()) > 0) assertSameModel(existing, wanted, store.place);
}
