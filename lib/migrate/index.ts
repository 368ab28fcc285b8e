/**
 * Moving a library between stores without embedding anything again: every photo's record (metadata,
 * the file's root and path, which thumbnails are keyed by) and its stored vector are read from the
 * source page by page in id order and written to the target in bulk, several pages in flight at once
 * (Elasticsearch indexes each bulk request on one thread per shard: one request at a time leaves the
 * other cores idle). While the copy runs, the target may take bulk-load settings (Elasticsearch: no
 * refresh, no replica), restored at the end. A checkpoint file remembers the last id below which every
 * page is written, and the settings to restore, so a killed run resumes there and still restores
 * them; writes are by id, so a page written twice is still one photo. At the end the target is
 * checked: the same number of photos, and a sample of photos that, searched by their own vector, come
 * back first.
 */
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { sameModel } from "@/lib/store/index-model";
import type { BulkLoadSettings, IndexModel, PhotoRecord, PhotoStore } from "@/lib/store/types";

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
  /** Photos per bulk write (default 1,000: about 7 MB of JSON to Elasticsearch). */
  batchSize?: number;
  /** Bulk writes in flight at once (default 3). */
  concurrency?: number;
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
  /** Every photo up to this id is written ("" before the first page). */
  after: string;
  /** The target's own settings, replaced for the copy: put back at its end, even by a later run. */
  restore?: BulkLoadSettings;
}

type Identity = Pick<Checkpoint, "source" | "target" | "modelId">;

function readCheckpoint(file: string, expected: Identity): Pick<Checkpoint, "after" | "restore"> | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
    const same = saved.source === expected.source && saved.target === expected.target && saved.modelId === expected.modelId;
    return same && typeof saved.after === "string" ? { after: saved.after, restore: saved.restore } : undefined;
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

/** Photos before the checkpoint are already copied: counted as done, and offered to the sample. */
async function countCopied(source: PhotoStore, resumedAfter: string, sample: ReturnType<typeof sampler>): Promise<number> {
  let done = 0;
  for (let after: string | undefined; ;) {
    const ids = await source.scan(after, 5_000);
    const before = ids.filter((record) => record.id <= resumedAfter);
    sample.offer(before);
    done += before.length;
    if (before.length < ids.length || ids.length < 5_000) return done;
    after = ids.at(-1)!.id;
  }
}

interface Write {
  page: PhotoRecord[];
  written: Promise<void>;
}

/**
 * Copies `source` into `target`. Reading the next page overlaps writing the current ones; up to
 * `concurrency` writes are in flight, and the checkpoint moves only past pages whose write and every
 * earlier one finished. Resumes after the checkpoint's id; verifies unless interrupted
 * (options.verifySample 0 skips the search check).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateSummary> {
  const started = Date.now();
  const { source, target, checkpointFile } = options;
  const batchSize = options.batchSize ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const model = await checkModels(source, target, options.expectedModelId);
  const identity: Identity = { source: source.place.name, target: target.place.name, modelId: model.modelId };
  const checkpoint = readCheckpoint(checkpointFile, identity);
  const resumedAfter = checkpoint?.after || undefined;
  // A run killed during the copy left the bulk-load settings in place: the checkpoint has the originals.
  const replaced = await target.prepareBulkLoad?.();
  const restore = checkpoint?.restore ?? replaced;
  const save = (after: string) => writeCheckpoint(checkpointFile, { ...identity, after, restore });
  save(resumedAfter ?? "");
  const total = await source.count();
  const sample = sampler(total, options.verifySample ?? 20);
  let done = resumedAfter === undefined ? 0 : await countCopied(source, resumedAfter, sample);
  let copied = 0;
  const inFlight: Write[] = [];
  const settleOldest = async () => {
    const { page, written } = inFlight.shift()!;
    await written;
    save(page.at(-1)!.id);
    sample.offer(page);
    done += page.length;
    copied += page.length;
    options.onProgress?.({ done, total, copied });
  };
  let next = source.scan(resumedAfter, batchSize);
  try {
    while (!options.signal?.aborted) {
      const page = await next;
      if (page.length === 0) break;
      next = source.scan(page.at(-1)!.id, batchSize); // read ahead while this page is written
      inFlight.push({ page, written: target.upsert(page) });
      if (inFlight.length >= concurrency) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } catch (error) {
    // A write failed: the checkpoint stays before it; the other writes end before it is reported,
    // and the target gets its settings back if it still answers (else the checkpoint keeps them).
    await Promise.allSettled([next, ...inFlight.map((write) => write.written)]);
    if (restore) await target.finishBulkLoad?.(restore).catch(() => undefined);
    throw error;
  }
  await next.catch(() => undefined);
  // Finished or interrupted, the target gets its settings back before anything reads it.
  if (restore) await target.finishBulkLoad?.(restore);
  const interrupted = Boolean(options.signal?.aborted);
  const summary: MigrateSummary = { model, total, copied, resumedAfter, interrupted, durationMs: 0 };
  if (!interrupted) {
    summary.verification = await verify(source, target, options.verifySample === 0 ? [] : sample.picked);
    if (summary.verification.ok) fs.rmSync(checkpointFile, { force: true });
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
