/**
 * The scale sections' synthetic collections and their exact top 10, kept on disk under
 * .cache/bench-synthetic (keyed by size, query count, seed and generator version): a million photos
 * take minutes to generate and their truth a full fp32 scan per query, and neither changes between
 * runs. A missing or short file is generated again; files are written whole, then renamed.
 */
import fs from "node:fs";
import path from "node:path";
import { exactSearch, MetricKind } from "usearch";
import { round } from "../measure";
import { DIMS, rowsOf, syntheticCollection, type Collection } from "../synthetic";

/** Bump when syntheticCollection's numbers change, so no stale set is read back. */
const GENERATOR_VERSION = 1;
const CACHE_DIR = path.resolve(import.meta.dirname, "../../../.cache/bench-synthetic");

type Log = (message: string) => void;

export interface CollectionWithTruth extends Collection {
  /** The exact fp32 top 10 of each query (row numbers, best first). */
  exact: number[][];
}

export function cachedCollection(size: number, queryCount: number, log: Log): CollectionWithTruth {
  const key = `v${GENERATOR_VERSION}-n${size}-q${queryCount}-s${size}`;
  const vectorsFile = path.join(CACHE_DIR, `${key}.f32`);
  const truthFile = path.join(CACHE_DIR, `${key}.top10.i32`);
  const total = (size + queryCount) * DIMS;
  let started = performance.now();
  let collection: Collection;
  const cached = readFloats(vectorsFile, total);
  if (cached) {
    collection = {
      flat: cached.subarray(0, size * DIMS),
      vectors: rowsOf(cached.subarray(0, size * DIMS)),
      queries: rowsOf(cached.subarray(size * DIMS)),
    };
    log(`  synthetic set of ${size}: read from ${path.relative(process.cwd(), vectorsFile)} in ${seconds(started)} s`);
  } else {
    collection = syntheticCollection(size, queryCount);
    log(`  synthetic set of ${size}: generated in ${seconds(started)} s`);
    writeWhole(vectorsFile, [collection.flat, ...collection.queries]);
  }
  started = performance.now();
  const cachedTruth = readInts(truthFile, queryCount * 10);
  let exact: number[][];
  if (cachedTruth) {
    exact = collection.queries.map((_, i) => Array.from(cachedTruth.subarray(i * 10, i * 10 + 10)));
  } else {
    exact = exactTop10(collection.flat, collection.queries);
    log(`  exact fp32 top 10 of ${queryCount} queries over ${size}: ${seconds(started)} s`);
    writeWhole(truthFile, [Int32Array.from(exact.flat())]);
  }
  return { ...collection, exact };
}

/** The exact top 10 of every query by fp32 inner product (usearch's exact SIMD scan, every core). */
export function exactTop10(flat: Float32Array, queries: Float32Array[]): number[][] {
  const packed = new Float32Array(queries.length * DIMS);
  queries.forEach((q, i) => packed.set(q, i * DIMS));
  const found = exactSearch(flat, packed, DIMS, 10, MetricKind.IP, 0);
  return queries.map((_, i) => Array.from(found.keys.subarray(i * 10, i * 10 + 10), Number));
}

const seconds = (since: number) => round((performance.now() - since) / 1000, 1);

/** Reads a file of exactly `length` float32s (read in chunks: a million photos are near readFileSync's 2 GB limit). */
function readFloats(file: string, length: number): Float32Array | undefined {
  const out = new Float32Array(length);
  return readInto(file, new Uint8Array(out.buffer)) ? out : undefined;
}

function readInts(file: string, length: number): Int32Array | undefined {
  const out = new Int32Array(length);
  return readInto(file, new Uint8Array(out.buffer)) ? out : undefined;
}

const CHUNK = 256 * 1048576;

function readInto(file: string, bytes: Uint8Array): boolean {
  if (!fs.existsSync(file) || fs.statSync(file).size !== bytes.byteLength) return false;
  const fd = fs.openSync(file, "r");
  try {
    for (let at = 0; at < bytes.byteLength;) {
      const read = fs.readSync(fd, bytes, at, Math.min(CHUNK, bytes.byteLength - at), at);
      if (read === 0) return false;
      at += read;
    }
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

function writeWhole(file: string, parts: ArrayBufferView[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w");
  try {
    for (const part of parts) {
      const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      for (let at = 0; at < bytes.byteLength;) at += fs.writeSync(fd, bytes, at, Math.min(CHUNK, bytes.byteLength - at));
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}
