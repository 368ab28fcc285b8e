/**
 * The embedded store's whole-library neighbour pass (the duplicates review). Its search is an exact
 * scan, so a search per photo would cost n² dot products (tens of minutes at 100k photos on 2 cores);
 * instead the pass builds an HNSW graph of the int8 matrix with usearch (the library whose exact
 * kernels the scan already uses), asks it for each photo's candidates, and rescores them with their
 * exact fp32 vectors as every search does. Building and searching a graph grow as n log n.
 *
 * The graph is built from a copy of the matrix taken when the pass starts (ingest may change the
 * matrix meanwhile; a photo deleted since is dropped when its vector is not found), a chunk of rows
 * per native call, so the event loop answers other requests between chunks.
 */
import os from "node:os";
import { Index, MetricKind, ScalarKind, type BatchMatches } from "usearch";
import type { Neighbourhood, NeighbourProgress } from "@/lib/store/types";
import { dot } from "@/lib/vector";
import type { VectorMatrix } from "./vector-matrix";

type Neighbour = Neighbourhood["hits"][number];

/** Reads exact fp32 vectors by photo id (missing: the photo is gone). */
export type VectorsById = (ids: readonly string[]) => Map<string, Float32Array>;

/** Rows added or searched per native call: each call blocks the event loop for well under a second. */
const CHUNK = 1_000;
/** Candidates beyond `k` rescored per photo: int8 scores may swap near neighbours. */
const EXTRA_CANDIDATES = 4;
/**
 * HNSW settings: 16 links per node and a wide search beam (expansion 128) keep recall of the close
 * neighbours a duplicates review looks for near 1 (measured in npm run bench -- --only duplicates).
 */
const GRAPH = { connectivity: 16, expansion_add: 128, expansion_search: 128 };
/**
 * Below this many photos every photo is a candidate of every other: the exact pass costs under a
 * million dot products, and an int8 graph is only approximate (among near-orthogonal vectors its
 * candidates can miss a true neighbour; its multi-threaded build is not deterministic either).
 */
const EXACT_BELOW = 1_000;
const threads = os.availableParallelism();

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

type OnProgress = (progress: NeighbourProgress) => void;

/** Each photo of the matrix (a chunk at a time) with its `k` nearest others, best first. */
export async function* matrixNeighbours(
  matrix: VectorMatrix,
  k: number,
  vectorsById: VectorsById,
  onProgress: OnProgress = () => undefined,
): AsyncGenerator<{ id: string; hits: Neighbour[] }[]> {
  const size = matrix.size;
  if (size === 0 || k <= 0) return;
  const ids = Array.from({ length: size }, (_, row) => matrix.idAt(row));
  const candidatesOf =
    size < EXACT_BELOW
      ? (start: number, end: number) => ids.slice(start, end).map(() => ids)
      : await graphCandidates(matrix, ids, k, onProgress);
  for (let start = 0; start < size; start += CHUNK) {
    onProgress({ phase: "comparing", done: start, total: size });
    const end = Math.min(size, start + CHUNK);
    const candidateIds = candidatesOf(start, end);
    const vectors = vectorsById([...new Set([...ids.slice(start, end), ...candidateIds.flat()])]);
    yield ids.slice(start, end).flatMap((id, i) => {
      const own = vectors.get(id);
      if (!own) return [];
      const hits = candidateIds[i]!.flatMap((other) => {
        const vector = other === id ? undefined : vectors.get(other);
        return vector ? [{ id: other, score: dot(own, vector) }] : [];
      });
      return [{ id, hits: hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, k) }];
    });
    await yieldToEventLoop();
  }
  onProgress({ phase: "comparing", done: size, total: size });
}

/**
 * The HNSW graph of the int8 rows, built a chunk at a time; returns, for a chunk of rows, each
 * row's candidate ids (the k + 1 + EXTRA_CANDIDATES nearest in the graph, itself included).
 */
async function graphCandidates(
  matrix: VectorMatrix,
  ids: string[],
  k: number,
  onProgress: OnProgress,
): Promise<(start: number, end: number) => string[][]> {
  const size = ids.length;
  const { dims } = matrix;
  const rows = matrix.quantizedRows().slice(0, size * dims);
  const graph = new Index({ dimensions: dims, metric: MetricKind.Cos, quantization: ScalarKind.I8, multi: false, ...GRAPH });
  for (let start = 0; start < size; start += CHUNK) {
    onProgress({ phase: "indexing", done: start, total: size });
    const end = Math.min(size, start + CHUNK);
    const keys = new BigUint64Array(end - start).map((_, i) => BigInt(start + i));
    graph.add(keys, rows.subarray(start * dims, end * dims), threads);
    await yieldToEventLoop();
  }
  const candidates = Math.min(size, k + 1 + EXTRA_CANDIDATES);
  return (start, end) => {
    const found = graph.search([rows.subarray(start * dims, end * dims)], candidates, threads) as BatchMatches;
    return Array.from({ length: end - start }, (_, i) => {
      const offset = i * candidates;
      const count = Number(found.counts[i] ?? 0);
      return Array.from(found.keys.subarray(offset, offset + count), (key) => ids[Number(key)]!);
    });
  };
}
