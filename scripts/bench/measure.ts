/** Shared by the benchmark scripts: timing with percentiles, and the plain JavaScript kNN baseline. */

export interface Stat {
  p50: number;
  p95: number;
  runs: number;
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function stat(samples: number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: round(at(0.5)!), p95: round(at(0.95)!), runs: samples.length };
}

/** Runs `fn` once to warm up, then `runs` times; `fn` gets the run index (-1 for the warm-up). */
export async function time(runs: number, fn: (i: number) => unknown): Promise<Stat> {
  await fn(-1);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return stat(samples);
}

/** The baseline a hand-written store would use: a dot product per vector and a running top-k. */
export function jsLoopTopK(rows: Float32Array[], query: Float32Array, k: number): { row: number; score: number }[] {
  const best: { row: number; score: number }[] = [];
  let threshold = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r];
    let s = 0;
    for (let d = 0; d < v!.length; d++) s += v![d]! * query[d]!;
    if (s <= threshold) continue;
    best.push({ row: r, score: s });
    best.sort((a, b) => b.score - a.score);
    if (best.length > k) best.pop();
    if (best.length === k) threshold = best[k - 1]!.score;
  }
  return best;
}
