/**
 * Ingest: files in, searchable photos out. Each batch is read and hashed, checked against the
 * store (so re-runs and moved files cost no embedding), decoded with EXIF and thumbnails, embedded
 * in one model call, and written in one bulk upsert. The next batch is decoded while the current
 * one is embedded. Every batch commits on its own, so an interrupted run resumes where it stopped.
 * The store is bound to the model with the first photo written, so a run that indexed nothing (the
 * model could not load) leaves it free for another model. A model that cannot load stops the run
 * with one error, as a store failure does: every file would fail the same way.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { ImageEmbedder } from "@/lib/embedding/types";
import { placeOf, type PlaceName } from "@/lib/places";
import type { Photo, PhotoLocation, PhotoRecord, PhotoStore, StoredLocation } from "@/lib/store/types";
import { readExif } from "./exif";
import { folderOf, toPosix } from "./files";
import { decodeForEmbedding, type DecodeLimits, type DecodingImage } from "./image";
import { applyMetadata, changesText, type MetadataPatch } from "./metadata-schema";
import { inShard, type Shard } from "./shard";
import { writeThumbnail } from "./thumbnails";

/** "otherShard": another ingest process's photo (IngestOptions.shard), left to it. */
export type Outcome = "indexed" | "unchanged" | "moved" | "updated" | "otherShard" | "failed";

export interface FileResult {
  file: string;
  outcome: Outcome;
  id?: string;
  reason?: string;
  /** For failures: the error's code, so an upload answers 413 for a too-large image, 422 for a bad one. */
  code?: ErrorCode;
  /** Indexed, but something read from the file was not believed (an implausible capture date). */
  warnings?: string[];
}

export interface IngestSummary {
  total: number;
  indexed: number;
  unchanged: number;
  moved: number;
  updated: number;
  /** Photos left to the other shards' processes (with IngestOptions.shard). */
  otherShard: number;
  failed: { file: string; reason: string }[];
  warnings: { file: string; warning: string }[];
  durationMs: number;
}

export interface IngestProgress {
  done: number;
  total: number;
  last: FileResult;
}

export interface IngestOptions {
  /** Text for a file (from a metadata file or an upload), merged into what is stored. */
  textFor?: (file: string) => MetadataPatch | undefined;
  /** The name to show for a file, when not its own. */
  nameFor?: (file: string) => string;
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /** This process's share of the photos when several ingest into one store at once (lib/ingest/shard.ts). */
  shard?: Shard;
}

export interface IngestDeps {
  store: PhotoStore;
  embedder: ImageEmbedder;
  dataDir: string;
  limits: DecodeLimits & { maxFileBytes: number };
  batchSize?: number;
}

interface ReadFile {
  file: string;
  relative: string;
  bytes: Buffer;
  id: string;
  /** The name shown for the photo: the file's own, or an upload's original name. */
  name: string;
  text?: MetadataPatch;
}

interface Prepared {
  source: ReadFile;
  /** Its thumbnail is written after the batch's model run, which its encoding runs beside. */
  decoded: DecodingImage;
  photo: Omit<PhotoRecord, "vector">;
  warnings: string[];
}

const sameLocation = (a: PhotoLocation, b: PhotoLocation) => a.root === b.root && a.path === b.path;

/** Photo ids are the first 128 bits of the SHA-256 of the file's bytes, in hex. */
export function contentId(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

export class Ingestor {
  private readonly batchSize: number;

  constructor(private readonly deps: IngestDeps) {
    this.batchSize = deps.batchSize ?? 16;
  }

  /** Ingests `files` (absolute paths below `root`); per-file failures are reported, not thrown. */
  async ingest(root: string, files: string[], options: IngestOptions = {}): Promise<IngestSummary> {
    const started = Date.now();
    const absoluteRoot = path.resolve(root);
    const summary: IngestSummary = {
      total: files.length,
      indexed: 0,
      unchanged: 0,
      moved: 0,
      updated: 0,
      otherShard: 0,
      failed: [],
      warnings: [],
      durationMs: 0,
    };
    let done = 0;
    const report = (result: FileResult) => {
      done++;
      if (result.outcome === "failed") summary.failed.push({ file: result.file, reason: result.reason ?? "unknown error" });
      else summary[result.outcome]++;
      for (const warning of result.warnings ?? []) summary.warnings.push({ file: result.file, warning });
      options.onProgress?.({ done, total: files.length, last: result });
    };

    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += this.batchSize) batches.push(files.slice(i, i + this.batchSize));
    // Decode batch i+1 while batch i is being embedded: sharp and onnxruntime use separate threads.
    const prepare = (i: number) => {
      const decoding = deferred();
      const batch = this.prepareBatch(absoluteRoot, batches[i] ?? [], options, report, decoding.resolve);
      // Marked as handled at once: if it fails (the store went away) while the batch before it is
      // still embedding, nothing awaits it yet, and Node would report an unhandled rejection. The
      // loop still awaits it and gets the error.
      batch.catch(() => undefined).finally(decoding.resolve);
      return { batch, decoding: decoding.promise };
    };
    let next = batches.length ? prepare(0) : undefined;
    let binding: Promise<void> | undefined;
    const bindStore = () => (binding ??= this.deps.store.ensureIndex(this.deps.embedder.space));
    try {
      for (let i = 0; i < batches.length; i++) {
        const prepared = await next!.batch;
        next = undefined;
        if (options.signal?.aborted) break;
        next = i + 1 < batches.length ? prepare(i + 1) : undefined;
        // onnxruntime runs the model on the main thread and holds it for the whole batch, so a
        // decode only moves on to its next step between model calls: the next batch is read,
        // hashed and checked, and its decoding handed to libvips's threads, before the model starts.
        await next?.decoding;
        await this.embedAndStore(prepared, report, bindStore);
      }
    } finally {
      // A batch still being prepared when another one failed must settle before the ingest returns.
      await next?.batch.catch(() => undefined);
    }
    await this.deps.store.refresh();
    summary.durationMs = Date.now() - started;
    return summary;
  }

  /**
   * Ingests one file; throws an AppError if it cannot be indexed (used by uploads). `text` is merged
   * into what is stored; `name` is the name to show (an upload's original file name).
   */
  async ingestOne(root: string, file: string, text?: MetadataPatch, name?: string): Promise<FileResult> {
    let result: FileResult | undefined;
    await this.ingest(root, [file], { textFor: () => text, nameFor: name ? () => name : undefined, onProgress: (p) => (result = p.last) });
    if (!result) throw new AppError("internal", "ingest produced no result");
    if (result.outcome === "failed") throw new AppError(result.code ?? "invalid_image", result.reason ?? "could not index the photo");
    return result;
  }

  /** Merges `patch` into a stored photo's text: "updated", or "unchanged" when it changes nothing. */
  async updateText(id: string, patch: MetadataPatch): Promise<"updated" | "unchanged"> {
    const { store } = this.deps;
    const [current, vector] = await Promise.all([store.get(id), store.getVector(id)]);
    if (!current || !vector) throw new AppError("not_found", `photo ${id} is not in the library`);
    if (!changesText(current, patch)) return "unchanged";
    await store.upsert([{ ...withText(current, patch), vector }]);
    await store.refresh();
    return "updated";
  }

  /** `decoding` is called once every new photo of the batch is being decoded in libvips's threads (or has failed). */
  private async prepareBatch(
    root: string,
    files: string[],
    options: IngestOptions,
    report: (r: FileResult) => void,
    decoding: () => void,
  ): Promise<Prepared[]> {
    const read = (await Promise.all(files.map((file) => this.readOne(root, file, options, report)))).filter(
      (r): r is ReadFile => r !== undefined,
    );
    const known = await this.deps.store.locate([...new Set(read.map((r) => r.id))]);
    const fresh: ReadFile[] = [];
    // Identical files in one batch: the first is indexed, the others become its copies.
    const copiesInBatch = new Map<string, PhotoLocation[]>();
    for (const source of read) {
      const stored = known.get(source.id);
      const copies = copiesInBatch.get(source.id);
      if (stored) await this.reconcile(root, source, stored, report);
      else if (copies) {
        if (!copies.some((c) => sameLocation(c, { root, path: source.relative }))) copies.push({ root, path: source.relative });
        report({ file: source.file, outcome: "unchanged", id: source.id, reason: "duplicate of another file: recorded as another path" });
      } else {
        copiesInBatch.set(source.id, []);
        fresh.push(source);
      }
    }
    const started = fresh.map(() => deferred());
    void Promise.all(started.map((s) => s.promise)).then(decoding);
    const prepared = (
      await Promise.all(fresh.map((source, i) => this.decodeOne(root, source, report, started[i]!.resolve).finally(started[i]!.resolve)))
    ).filter((p): p is Prepared => p !== undefined);
    for (const p of prepared) {
      const copies = copiesInBatch.get(p.photo.id)?.filter((c) => !sameLocation(c, p.photo));
      if (copies?.length) p.photo.copies = copies;
    }
    return prepared;
  }

  private async readOne(
    root: string,
    file: string,
    options: IngestOptions,
    report: (r: FileResult) => void,
  ): Promise<ReadFile | undefined> {
    try {
      const stat = await fs.promises.stat(file);
      // A FIFO, socket or device would block or never end: only regular files are opened.
      if (!stat.isFile()) throw new AppError("invalid_image", "not a regular file (a FIFO, socket or device): skipped");
      if (stat.size > this.deps.limits.maxFileBytes) {
        throw new AppError("too_large", `file is ${stat.size} bytes; the limit is ${this.deps.limits.maxFileBytes}`);
      }
      const bytes = await fs.promises.readFile(file);
      const id = contentId(bytes);
      if (options.shard && !inShard(id, options.shard)) {
        report({ file, outcome: "otherShard", id });
        return undefined;
      }
      return {
        file,
        relative: toPosix(path.relative(root, file)),
        bytes,
        id,
        name: options.nameFor?.(file) ?? path.basename(file),
        text: options.textFor?.(file),
      };
    } catch (error) {
      report({ file, outcome: "failed", reason: reasonOf(error), code: codeOf(error) });
      return undefined;
    }
  }

  /**
   * A photo already in the store: unchanged, moved (same bytes, old file gone), new metadata, or the
   * same bytes at one more path (an identical file), which the photo records among its copies; a GPS
   * position stored before places existed gets its names now (never re-embedded).
   */
  private async reconcile(root: string, source: ReadFile, stored: StoredLocation, report: (r: FileResult) => void) {
    const { store } = this.deps;
    const here = { root, path: source.relative };
    const current = sameLocation(stored, here) && !source.text && !stored.unplaced ? undefined : await store.get(source.id);
    // Read again: an earlier file of this batch may have moved the photo or recorded a copy.
    const primary = current ?? stored;
    const samePlace = sameLocation(primary, here);
    const oldFileGone = !samePlace && !fs.existsSync(path.join(primary.root, primary.path));
    const textChanged = current !== undefined && source.text !== undefined && changesText(current, source.text);
    const newCopy = current !== undefined && !samePlace && !oldFileGone && !current.copies?.some((c) => sameLocation(c, here));
    const place = stored.unplaced && current ? placeUpdate(current) : undefined;
    if (!oldFileGone && !textChanged && !newCopy && !place) {
      report({ file: source.file, outcome: "unchanged", id: source.id, reason: samePlace ? undefined : `same photo as ${primary.path}` });
      return;
    }
    const vector = await store.getVector(source.id);
    if (!current || !vector) {
      report({ file: source.file, outcome: "unchanged", id: source.id });
      return;
    }
    const photo = withText(current, source.text ?? {});
    if (place) photo.place = place;
    if (oldFileGone) {
      Object.assign(photo, { ...here, folder: folderOf(root, source.relative), name: source.name });
      photo.copies = current.copies?.filter((c) => !sameLocation(c, here));
    }
    if (newCopy) photo.copies = [...(current.copies ?? []), here];
    await store.upsert([{ ...photo, vector }]);
    if (newCopy && !textChanged && !place) {
      report({ file: source.file, outcome: "unchanged", id: source.id, reason: `same bytes as ${primary.path}: recorded as another path` });
      return;
    }
    report({ file: source.file, outcome: oldFileGone ? "moved" : "updated", id: source.id });
  }

  private async decodeOne(
    root: string,
    source: ReadFile,
    report: (r: FileResult) => void,
    decoding: () => void,
  ): Promise<Prepared | undefined> {
    try {
      const [decoded, { facts, warnings }] = await Promise.all([
        decodeForEmbedding(source.bytes, this.deps.limits, decoding),
        readExif(source.bytes),
      ]);
      const place = placeOf(facts.location);
      const photo: Omit<PhotoRecord, "vector"> = {
        id: source.id,
        root,
        path: source.relative,
        folder: folderOf(root, source.relative),
        name: source.name,
        width: decoded.width,
        height: decoded.height,
        bytes: source.bytes.length,
        mime: decoded.mime,
        ...facts,
        ...(place ? { place } : {}),
        ...applyMetadata({ tags: [], extra: {} }, source.text ?? {}),
        indexedAt: new Date().toISOString(),
      };
      return { source, decoded, photo, warnings };
    } catch (error) {
      report({ file: source.file, outcome: "failed", reason: reasonOf(error), code: codeOf(error) });
      return undefined;
    }
  }

  /** `bindStore` binds the store to the model (once per run) right before the first write. */
  private async embedAndStore(batch: Prepared[], report: (r: FileResult) => void, bindStore: () => Promise<void>): Promise<void> {
    if (batch.length === 0) return;
    let vectors: Float32Array[];
    try {
      vectors = await this.deps.embedder.embedImages(batch.map((p) => p.decoded.embedInput));
    } catch (error) {
      if (error instanceof AppError && error.code === "model_unavailable") throw error;
      for (const p of batch) report({ file: p.source.file, outcome: "failed", reason: `embedding failed: ${reasonOf(error)}` });
      return;
    }
    const thumbnails = await Promise.allSettled(batch.map((p) => p.decoded.thumbnail));
    const stored: PhotoRecord[] = [];
    const indexed: Prepared[] = [];
    batch.forEach((p, i) => {
      const thumbnail = thumbnails[i]!;
      if (thumbnail.status === "rejected") {
        report({ file: p.source.file, outcome: "failed", reason: reasonOf(thumbnail.reason), code: codeOf(thumbnail.reason) });
        return;
      }
      writeThumbnail(this.deps.dataDir, p.photo.id, thumbnail.value);
      stored.push({ ...p.photo, vector: vectors[i]! }); // one vector per input
      indexed.push(p);
    });
    if (stored.length === 0) return;
    await bindStore();
    // A store failure (cluster down) stops the run: the next run resumes from here.
    await this.deps.store.upsert(stored);
    for (const p of indexed) report({ file: p.source.file, outcome: "indexed", id: p.photo.id, warnings: p.warnings });
  }
}

/** A promise with its resolve function, for a signal given from deep inside another promise's work. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The place to store for a photo whose GPS position has no region name yet: its names when it had
 * none, or the region when it was named before regions were stored. Undefined when the lookup adds
 * nothing (at sea, or a town in no named region), so such photos are not rewritten on every ingest.
 */
function placeUpdate(photo: Photo): PlaceName | undefined {
  if (photo.place?.region) return undefined;
  const found = placeOf(photo.location);
  if (!found || (photo.place && !found.region)) return undefined;
  return found;
}

/** The photo with `patch` merged, not replaced: fields it leaves out keep what a user wrote before. */
function withText(current: Photo, patch: MetadataPatch): Photo {
  const { caption: _caption, tags: _tags, extra: _extra, ...facts } = current;
  return { ...facts, ...applyMetadata(current, patch), indexedAt: new Date().toISOString() };
}

function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof AppError ? error.code : undefined;
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES") return "permission denied";
  return String((error as Error)?.message ?? error).split("\n")[0] ?? "";
}
