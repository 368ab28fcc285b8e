import { AppError } from "@/lib/errors";
import type { IndexModel } from "@/lib/store/types";

/** Both stores refuse to mix vectors from different models in one index. */
export function assertSameModel(existing: IndexModel, wanted: IndexModel): void {
  if ((existing.recorded === false || existing.modelId === wanted.modelId) && existing.dims === wanted.dims) return;
  throw new AppError(
    "model_mismatch",
    `the index holds ${existing.dims}-dim vectors from ${existing.modelId}, but the app is configured for ` +
      `${wanted.modelId} (${wanted.dims} dims). Set IMAGE_MODEL=${existing.modelId}, or index into a new store.`,
  );
}
