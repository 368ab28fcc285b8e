/** Vectors in this app are L2-normalized Float32Arrays; these helpers keep that invariant in one place. */
import { badRequest } from "@/lib/errors";

export function l2normalize(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * out[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) throw badRequest("vector has zero or non-finite length");
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/** The one vector an embedder returned for a single input. */
export function singleVector(vectors: readonly Float32Array[]): Float32Array {
  const [vector] = vectors;
  if (!vector || vectors.length !== 1) throw new Error(`expected one vector, the embedder returned ${vectors.length}`);
  return vector;
}

/**
 * A stored vector as a unit vector. Indices made elsewhere hold raw `SentenceTransformer.encode`
 * output, which is not normalized; cosine similarity ignores length, so normalizing on read keeps
 * every search's semantics. A vector already of unit length (the app's own) is returned bit for bit.
 */
export function asUnitVector(values: ArrayLike<number>): Float32Array {
  const vector = Float32Array.from(values);
  let sum = 0;
  for (const v of vector) sum += v * v;
  return Math.abs(Math.sqrt(sum) - 1) < 1e-5 ? vector : l2normalize(vector);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Validates a vector that arrived from outside (browser, API) and normalizes it. */
export function parseVector(values: unknown, dims: number): Float32Array {
  if (!Array.isArray(values)) throw badRequest("vector must be an array of numbers");
  if (values.length !== dims) throw badRequest(`vector must have ${dims} dimensions, got ${values.length}`);
  if (!values.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw badRequest("vector values must be finite numbers");
  }
  return l2normalize(values as number[]);
}

export function toBuffer(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * A blob's floats. A buffer that owns all of its memory (better-sqlite3 copies every blob into a
 * fresh one) is read in place: a search rescores ~500 stored vectors, and copying each had cost
 * 3.5 % of a loaded server's main thread (docs/benchmarks.md, "Text queries under load"). Any
 * other buffer is copied: a slice of Node's shared pool or of a larger buffer may be unaligned, or
 * its memory reused.
 */
export function fromBuffer(buffer: Uint8Array): Float32Array {
  const ownsItsMemory =
    buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && !(buffer.buffer instanceof SharedArrayBuffer);
  if (ownsItsMemory && buffer.byteLength % 4 === 0) return new Float32Array(buffer.buffer, 0, buffer.byteLength / 4);
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Float32Array(copy.buffer);
}
