/**
 * Synthetic photo collections for the benchmarks: a fixed seed, so every run searches the same data.
 *
 * The vectors lie around 1,000 random centres (a photo collection has themes), so near neighbours are
 * really nearer. Uniform random 512-dim vectors are the worst case for any approximate index: every
 * point is about as far as every other (top-10 cosine ~0.17 against a spread of ~0.04), and int8
 * quantization noise alone reorders them.
 */
import { randomUnitVector, seededRandom } from "@/lib/testing";
import type { PhotoRecord } from "@/lib/store/types";

export const DIMS = 512;
const CENTRES = 1000;
const NOISE = 0.8;

export interface Collection {
  vectors: Float32Array[];
  /** Queries drawn from the same distribution as the photos (but not photos themselves). */
  queries: Float32Array[];
}

export function syntheticCollection(size: number, queryCount: number, seed = size): Collection {
  const random = seededRandom(seed);
  const centres = Array.from({ length: CENTRES }, () => randomUnitVector(random, DIMS));
  const draw = () => {
    const centre = centres[Math.floor(random() * centres.length)];
    const noise = randomUnitVector(random, DIMS);
    const v = new Float32Array(DIMS);
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      v[d] = centre![d]! + NOISE * noise[d]!;
      norm += v[d]! * v[d]!;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) v[d]! /= norm;
    return v;
  };
  return { vectors: Array.from({ length: size }, draw), queries: Array.from({ length: queryCount }, draw) };
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
