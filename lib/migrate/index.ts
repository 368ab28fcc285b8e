/**
 * Moving a library between stores without embedding anything again: every photo's record (metadata,
 * the file's root and path, which thumbnails are keyed by) and its stored vector are read from the
 * source page by page in id order and written to the target in bulk. A checkpoint file remembers the
 * last id written, so a killed run resumes there; writes are by id, so a page written twice is still
 * one photo. At the end the target is checked: the same number of photos, and a sample of photos
 * that, searched by their own vector, come back first.
 */
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { sameModel } from "@/lib/store/index-model";
import type { IndexModel, PhotoRecord, PhotoStore } from "@/lib/store/types";

export interface MigrateProgress {
  done: number;
  total: number;
  /** Photos copied by this run (a resumed run started at done - copied). */
  copied: number;
}

export interface MigrateOptions {
  source: PhotoStore;
  target: PhotoStore;
  /** Where the last copied id is kept between runs (removed once the copy is verified). */
  checkpointFile: string;
  /** The model the app is configured with: a library of another model is refused before anything is written. */
  expectedModelId?: string;
  batchSize?: number;
  /** Photos searched by their own vector in the target at the end. */
  verifySample?: number;
  signal?: AbortSignal;
  onProgress?: (progress: MigrateProgress) => void;
}

export interface Verification {
  sourceCount: number;
  targetCount: number;
  sampled: number;
  /** Sampled photos whose own vector did not find them first. */
  misses: string[];
  ok: boolean;
}

export interface MigrateSummary {
  model: IndexModel;
  total: number;
  copied: number;
  /** The id the run resumed after, when a checkpoint was found. */
  resumedAfter?: string;
  interrupted: boolean;
  durationMs: number;
  verification?: Verification;
}

interface Checkpoint {
  source: string;
  target: string;
  modelId: string;
  after: string;
}

function readCheckpoint(file: string, expected: Omit<Checkpoint, "after">): string | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
    const same = saved.source === expected.source && saved.target === expected.target && saved.modelId === expected.modelId;
    return same && typeof saved.after === "string" ? saved.after : undefined;
  } catch {
    return undefined; // none yet, or unreadable: start from the beginning (writes by id make that safe)
  }
}

/** Written through a rename, so a kill never leaves half a checkpoint. */
function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(checkpoint));
  fs.renameSync(temporary, file);
}

/** Refuses a source without a library, of another model than configured, or a target holding another model's vectors. */
async function checkModels(source: PhotoStore, target: PhotoStore, expectedModelId: string | undefined): Promise<IndexModel> {
  const model = await source.indexModel();
  if (!model || (await source.count()) === 0) {
    throw new AppError("bad_request", `${source.place.name} holds no photos: nothing to migrate`);
  }
  if (expectedModelId && model.modelId !== expectedModelId) {
    throw new AppError(
      "model_mismatch",
      `${source.place.name} holds ${model.modelId} vectors, but IMAGE_MODEL is ${expectedModelId}: set IMAGE_MODEL=${model.modelId} to move it`,
    );
  }
  const existing = await target.indexModel();
  if (existing && !sameModel(existing, model) && (await target.count()) > 0) {
    throw new AppError(
      "model_mismatch",
      `${target.place.name} holds ${existing.modelId} (${existing.dims}-dim) vectors, ${source.place.name} ${model.modelId} (${model.dims}-dim): ${target.place.fresh}`,
    );
  }
  await target.ensureIndex(model);
  return model;
}

/** Every n-th photo of the source, up to `size` of them, spread over the whole library. */
function sampler(total: number, size: number) {
  const every = Math.max(1, Math.floor(total / Math.max(1, size)));
  const picked: PhotoRecord[] = [];
  let seen = 0;
  return {
    offer(records: PhotoRecord[]) {
      for (const record of records) if (seen++ % every === 0 && picked.length < size) picked.push(record);
    },
    picked,
  };
}

/** A vector equal to the top hit's (a duplicate photo) counts as found first. */
async function verify(source: PhotoStore, target: PhotoStore, sample: PhotoRecord[]): Promise<Verification> {
  await target.refresh();
  const [sourceCount, targetCount] = await Promise.all([source.count(), target.count()]);
  const misses: string[] = [];
  for (const record of sample) {
    const page = await target.searchVector({ vector: record.vector, k: 5, offset: 0 });
    const top = page.hits[0];
    const found = page.hits.find((hit) => hit.photo.id === record.id);
    if (!top || !found || top.score - found.score > 1e-4) misses.push(record.id);
  }
  return { sourceCount, targetCount, sampled: sample.length, misses, ok: sourceCount === targetCount && misses.length === 0 };
}

/**
 * Copies `source` into `target`. Reading the next page overlaps writing the current one. Resumes
 * after the checkpoint's id; verifies unless interrupted (options.verifySample 0 skips the search check).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateSummary> {
  const started = Date.now();
  const { source, target, checkpointFile } = options;
  const batchSize = options.batchSize ?? 500;
  const model = await checkModels(source, target, options.expectedModelId);
  const identity = { source: source.place.name, target: target.place.name, modelId: model.modelId };
  const resumedAfter = readCheckpoint(checkpointFile, identity);
  const total = await source.count();
  const sample = sampler(total, options.verifySample ?? 20);
  // Photos before the checkpoint are already copied: they count as done, and feed the sample.
  let done = 0;
  if (resumedAfter !== undefined) {
    for (let after: string | undefined; ;) {
      const ids = await source.scan(after, 5_000);
      const before = ids.filter((record) => record.id <= resumedAfter);
      sample.offer(before);
      done += before.length;
      if (before.length < ids.length || ids.length < 5_000) break;
      after = ids.at(-1)!.id;
    }
  }
  let copied = 0;
  let after = resumedAfter;
  let next = source.scan(after, batchSize);
  while (!options.signal?.aborted) {
    const page = await next;
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    next = source.scan(after, batchSize); // read ahead while this page is written
    await target.upsert(page);
    writeCheckpoint(checkpointFile, { ...identity, after });
    sample.offer(page);
    done += page.length;
    copied += page.length;
    options.onProgress?.({ done, total, copied });
  }
  await next.catch(() => undefined);
  const interrupted = Boolean(options.signal?.aborted);
  const summary: MigrateSummary = { model, total, copied, resumedAfter, interrupted, durationMs: 0 };
  if (!interrupted) {
    summary.verification = await verify(source, target, options.verifySample === 0 ? [] : sample.picked);
    if (summary.verification.ok) fs.rmSync(checkpointFile, { force: true });
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
