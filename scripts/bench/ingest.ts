/**
 * Section 2: ingest throughput on real photos with the full-size ViT-B/32 graph. The app's own
 * pipeline runs with its embedder and store wrapped in timers; beside it, in the same run, the same
 * photos are prepared alone (decode + EXIF + thumbnail) and embedded alone (the bare model, batches
 * of the same size), so pipeline efficiency = bare model time / pipeline time. The model's share of
 * the compute floor = 8.82 GFLOP per photo x photos/s ÷ the measured matrix-multiply GFLOP/s.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import type { ImageEmbedder, RgbImage } from "@/lib/embedding/types";
import { readExif } from "@/lib/ingest/exif";
import { findImages } from "@/lib/ingest/files";
import { decodeImage } from "@/lib/ingest/image";
import { contentId, Ingestor } from "@/lib/ingest/pipeline";
import { writeThumbnail } from "@/lib/ingest/thumbnails";
import { createStore } from "@/lib/store";
import type { PhotoStore } from "@/lib/store/types";
import { withMethods } from "@/lib/testing";
import type { GemmFloor } from "./gemm";
import { round } from "./measure";

/** ViT-B/32 image tower at 224 x 224: 4.41 GMAC per photo. */
export const VIT_B32_GFLOP = 8.82;

export interface IngestOptions {
  datasets: { name: string; folder: string; limit?: number }[];
  modelDir: string;
  modelId: string;
  dtypes: string[];
  gemm: GemmFloor;
  log: (message: string) => void;
}

export async function ingestThroughput(options: IngestOptions) {
  const files = options.datasets.flatMap((d) => findImages(d.folder).sort().slice(0, d.limit));
  const limits = { maxPixels: 100_000_000, thumbnailSize: 512 };
  const results: Record<string, unknown>[] = [];
  for (const dtype of options.dtypes) {
    options.log(`ingest ${files.length} photos, ${dtype}`);
    const cfg = parseConfig({
      MODEL_DIR: options.modelDir,
      IMAGE_MODEL: options.modelId,
      IMAGE_DTYPE: dtype,
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-ingest-")),
    });
    const { image, space } = createServerEmbedders(cfg);
    const batchSize = Math.max(cfg.models.batchSize, 8); // as the app's composition root sets it
    const first = await decodeImage(fs.readFileSync(files[0]!), limits);
    const loadStart = performance.now();
    await image.embedImages([first.embedInput]);
    const loadMs = performance.now() - loadStart;

    const prepareMs = await prepareAlone(files, limits, cfg.dataDir);
    const store = createStore(cfg);
    await store.ensureIndex(space);
    const timers = { embedMs: 0, indexMs: 0 };
    const ingestor = new Ingestor({
      store: timedStore(store, timers),
      embedder: timedEmbedder(image, timers),
      dataDir: cfg.dataDir,
      limits: { ...limits, maxFileBytes: 512 * 1024 * 1024 },
      batchSize,
    });
    const start = performance.now();
    const summary = await ingestor.ingest(commonFolder(options.datasets.map((d) => d.folder)), files);
    const totalMs = performance.now() - start;
    await store.close();
    if (summary.indexed !== files.length)
      throw new Error(`ingest indexed ${summary.indexed} of ${files.length}: ${JSON.stringify(summary.failed.slice(0, 3))}`);

    const modelMs = await bareModel(image, files, limits, batchSize);
    const modelPhotosPerS = files.length / (modelMs / 1000);
    const floor = dtype === "fp32" ? options.gemm.fp32Gflops : options.gemm.int8Gops;
    results.push({
      dtype,
      photos: files.length,
      batchSize,
      modelLoadMs: round(loadMs, 0),
      pipeline: {
        totalMs: round(totalMs, 0),
        photosPerS: round(files.length / (totalMs / 1000), 1),
        embedMs: round(timers.embedMs, 0),
        indexMs: round(timers.indexMs, 0),
      },
      prepareAlone: { totalMs: round(prepareMs, 0), photosPerS: round(files.length / (prepareMs / 1000), 1) },
      bareModel: { totalMs: round(modelMs, 0), photosPerS: round(modelPhotosPerS, 1), msPerPhoto: round(modelMs / files.length, 1) },
      efficiency: round(modelMs / totalMs, 2),
      modelGflops: round(VIT_B32_GFLOP * modelPhotosPerS, 1),
      shareOfComputeFloor: round((VIT_B32_GFLOP * modelPhotosPerS) / floor, 2),
    });
    fs.rmSync(cfg.dataDir, { recursive: true, force: true });
  }
  return {
    datasets: options.datasets.map((d) => ({ name: d.name, photos: Math.min(findImages(d.folder).length, d.limit ?? Infinity) })),
    gemm: options.gemm,
    runs: results,
  };
}

function commonFolder(folders: string[]): string {
  let common = path.resolve(folders[0]!);
  while (!folders.every((f) => path.resolve(f).startsWith(common + path.sep))) common = path.dirname(common);
  return common;
}

/** Read, hash, decode, EXIF and thumbnail for every photo, batch by batch as the pipeline prepares them. */
async function prepareAlone(files: string[], limits: { maxPixels: number; thumbnailSize: number }, dataDir: string): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(
      files.slice(i, i + 16).map(async (file) => {
        const bytes = await fs.promises.readFile(file);
        const [decoded] = await Promise.all([decodeImage(bytes, limits), readExif(bytes)]);
        writeThumbnail(dataDir, contentId(bytes), decoded.thumbnail);
      }),
    );
  }
  return performance.now() - start;
}

/** The model alone on the same photos, decoded beforehand, in the pipeline's batch size. */
async function bareModel(
  image: ImageEmbedder,
  files: string[],
  limits: { maxPixels: number; thumbnailSize: number },
  batchSize: number,
): Promise<number> {
  const inputs: RgbImage[] = [];
  for (const file of files) inputs.push((await decodeImage(fs.readFileSync(file), limits)).embedInput);
  const start = performance.now();
  for (let i = 0; i < inputs.length; i += batchSize) await image.embedImages(inputs.slice(i, i + batchSize));
  return performance.now() - start;
}

function timedEmbedder(inner: ImageEmbedder, timers: { embedMs: number }): ImageEmbedder {
  return {
    space: inner.space,
    async embedImages(images) {
      const start = performance.now();
      try {
        return await inner.embedImages(images);
      } finally {
        timers.embedMs += performance.now() - start;
      }
    },
  };
}

function timedStore(inner: PhotoStore, timers: { indexMs: number }): PhotoStore {
  const timed =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      try {
        return await method.apply(inner, args);
      } finally {
        timers.indexMs += performance.now() - start;
      }
    };
  return withMethods(inner, { upsert: timed(inner.upsert), refresh: timed(inner.refresh) });
}
