/**
 * Test support: where the shared datasets are, the project's CLIP-architecture test model, and
 * stores of either kind on throwaway folders or indices. Tests load the model through the
 * production loader; only the model folder differs from a real deployment.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { parseConfig, type Config } from "@/lib/config";
import { buildContext, type AppContext } from "@/lib/context";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { EmbeddedStore } from "@/lib/store/embedded";
import type { PhotoStore } from "@/lib/store/types";
import { testModelEnv } from "./test-models";

export const PROJECT = path.resolve(import.meta.dirname, "../..");
export const SHARED = path.resolve(process.env.SHARED_DIR ?? path.join(PROJECT, "..", "shared"));
export const DATASETS = path.join(SHARED, "datasets");
export const COCO = path.join(DATASETS, "coco-mini");
export const GPS_SAMPLES = path.join(DATASETS, "exif-gps-samples");

/** The generated test models (scripts/test-model/), in the transformers.js layout: fixtures/models/test.env. */
export const TEST_MODEL_ENV = testModelEnv();

export const ES_TEST_URL = process.env.ES_TEST_URL;
export const STORE_KINDS = ["embedded", "elasticsearch"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * Skip reason for Elasticsearch cases when the runner started no cluster (`npm test` always starts
 * one), and for embedded cases on the runner's further Elasticsearch versions (ES_TEST_ONLY=1), which
 * re-run only what talks to Elasticsearch.
 */
export function esSkip(kind: StoreKind): string | false {
  if (kind === "elasticsearch" && !ES_TEST_URL) return "no Elasticsearch: run through npm test, or set ES_TEST_URL";
  if (kind === "embedded" && process.env.ES_TEST_ONLY === "1") return "embedded store: covered on the first Elasticsearch version";
  return false;
}

export function tempDir(prefix = "photo-search-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let indexCounter = 0;

export function uniqueIndexName(): string {
  return `test-${process.pid}-${Date.now().toString(36)}-${indexCounter++}`;
}

export function testConfig(kind: StoreKind, overrides: Record<string, string> = {}): Config {
  return parseConfig({
    ...TEST_MODEL_ENV,
    DATA_DIR: tempDir(),
    STORE: kind,
    ...(kind === "elasticsearch" ? { ES_HOST: ES_TEST_URL, ES_INDEX: uniqueIndexName() } : {}),
    ...overrides,
  });
}

export function createTestStore(kind: StoreKind): PhotoStore {
  const cfg = testConfig(kind);
  return kind === "embedded" ? new EmbeddedStore(cfg.dataDir) : new ElasticsearchStore(cfg.elasticsearch);
}

export function testContext(kind: StoreKind, overrides: Record<string, string> = {}): AppContext {
  return buildContext(testConfig(kind, overrides));
}

/** Deletes a test's Elasticsearch index (the embedded store's temp folder needs no cleanup). */
export async function dropIndex(cfg: Config): Promise<void> {
  if (cfg.store !== "elasticsearch") return;
  await fetch(`${cfg.elasticsearch.node}/${cfg.elasticsearch.index}`, { method: "DELETE" });
}

/** A deterministic pseudo-random generator (mulberry32), so synthetic vectors repeat across runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomUnitVector(random: () => number, dims = 512): Float32Array {
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    // Box-Muller: Gaussian components give directions uniform on the sphere.
    const g = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    v[i] = g;
    norm += g * g;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i]! /= norm;
  return v;
}

/** A PNG declaring width x height, 1-bit grey, all zero: a few KB on disk, gigapixels decoded. */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 + zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Mean absolute difference of two pixel buffers of the same length, in levels (0-255). */
export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/**
 * `target` with some methods replaced: the rest are its own, bound to it. For wrapping a real
 * component (a store, an embedder) with timers or an injected fault.
 */
export function withMethods<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value = Reflect.get(object, key);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/**
 * A small JPEG whose pixels depend on (seed, i): distinct bytes for every pair, so each is its own
 * photo. Thousands take a few seconds: cheap folders for concurrency and sync tests.
 */
export async function distinctJpeg(i: number, seed = 0): Promise<Buffer> {
  const size = 32;
  const raw = Buffer.alloc(size * size * 3);
  const random = seededRandom(seed * 1_000_003 + i);
  for (let p = 0; p < raw.length; p++) raw[p] = Math.floor(random() * 256);
  const sharp = (await import("sharp")).default;
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Writes `count` distinct JPEGs (00000.jpg, 00001.jpg, …) into `folder`, returning their paths. */
export async function writeDistinctJpegs(folder: string, count: number, seed = 0): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (let start = 0; start < count; start += 200) {
    const chunk = Array.from({ length: Math.min(200, count - start) }, (_, j) => start + j);
    await Promise.all(
      chunk.map(async (i) => {
        const file = path.join(folder, `${String(i).padStart(5, "0")}.jpg`);
        fs.writeFileSync(file, await distinctJpeg(i, seed));
        files[i] = file;
      }),
    );
  }
  return files;
}

export { startHubStandIn, type HubStandIn } from "./hub-stand-in";
export { photoRecord } from "./photo-record";
