/**
 * Synthetic photo collections for the benchmarks: a fixed seed, so every run searches the same data.
 *
 * The vectors lie around 1,000 random centres (a photo collection has themes), so near neighbours are
 * really nearer. Uniform random 512-dim vectors are the worst case for any approximate index: every
 * point is about as far as every other (top-10 cosine ~0.17 against a spread of ~0.04), and int8
 * quantization noise alone reorders them.
 */
import type { PhotoRecord } from "@/lib/store/types";

export const DIMS = 512;
const CENTRES = 1000;
const NOISE = 0.8;

export interface Collection {
  vectors: Float32Array[];
  /** Queries drawn from the same distribution as the photos (but not photos themselves). */
  queries: Float32Array[];
  /** The photos' vectors row-major in one buffer; `vectors` are views into it (no copies). */
  flat: Float32Array;
}

/**
 * A collection of `size` photos and `queryCount` queries. One tight loop over typed arrays: a million
 * photos are 2 GB of floats, and allocating a vector (and its noise) per photo made the generation
 * the slowest part of a million-photo run. The numbers are exactly those of the first version
 * (mulberry32, one Box-Muller draw per component, the same order of draws), so figures measured on
 * earlier runs stay comparable.
 */
export function syntheticCollection(size: number, queryCount: number, seed = size): Collection {
  const draw = drawer(seed);
  const centres = new Float32Array(CENTRES * DIMS);
  for (let c = 0; c < CENTRES; c++) draw.unit(centres, c * DIMS);
  const flat = new Float32Array(size * DIMS);
  for (let i = 0; i < size; i++) draw.photo(centres, flat, i * DIMS);
  const queryFlat = new Float32Array(queryCount * DIMS);
  for (let i = 0; i < queryCount; i++) draw.photo(centres, queryFlat, i * DIMS);
  return { vectors: rowsOf(flat), queries: rowsOf(queryFlat), flat };
}

/** Row views of a row-major buffer of DIMS-wide vectors. */
export function rowsOf(flat: Float32Array): Float32Array[] {
  return Array.from({ length: flat.length / DIMS }, (_, i) => flat.subarray(i * DIMS, (i + 1) * DIMS));
}

/** The generator's state and its two draws; mulberry32 inlined (the same sequence as lib/testing's seededRandom). */
function drawer(seed: number) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const noise = new Float32Array(DIMS);
  /** A direction uniform on the sphere (Gaussian components, Box-Muller), written at out[offset..]. */
  const unit = (out: Float32Array, offset: number) => {
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      const g = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
      out[offset + d] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) out[offset + d]! /= norm;
  };
  /** A photo: a random centre plus NOISE times a random direction, normalized. */
  const photo = (centres: Float32Array, out: Float32Array, offset: number) => {
    const centre = Math.floor(random() * CENTRES) * DIMS;
    unit(noise, 0);
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      out[offset + d] = centres[centre + d]! + NOISE * noise[d]!;
      const x = out[offset + d]!; // the stored float32, as the first version summed
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) out[offset + d]! /= norm;
  };
  return { unit, photo };
}

const PLACES = [
  { lat: 43.77, lon: 11.25 },
  { lat: 35.68, lon: 139.69 },
  { lat: 40.71, lon: -74.0 },
  { lat: 31.23, lon: 121.47 },
  { lat: 46.56, lon: 8.56 },
];
const WORDS = ["mountain", "snow", "beach", "city", "street", "dog", "cat", "bus", "market", "river", "雪山", "海边", "城市"];

/** Photo `i` of a synthetic library: metadata like an ingested photo's (folders, dates, places, captions). */
export function syntheticPhoto(i: number, vector: Float32Array): PhotoRecord {
  const place = PLACES[i % PLACES.length];
  const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString();
  return {
    id: `bench${String(i).padStart(8, "0")}`,
    root: "/bench",
    path: `album-${i % 50}/photo-${i}.jpg`,
    folder: `bench/album-${i % 50}`,
    name: `photo-${i}.jpg`,
    width: 1600,
    height: 1200,
    bytes: 400_000,
    mime: "image/jpeg",
    takenAt: day,
    location: i % 3 === 0 ? { lat: place!.lat + ((i % 97) - 48) / 1000, lon: place!.lon + ((i % 89) - 44) / 1000 } : undefined,
    caption: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} number ${i}`,
    tags: [WORDS[(i * 3) % WORDS.length]!],
    extra: {},
    indexedAt: new Date(0).toISOString(),
    vector,
  };
}
