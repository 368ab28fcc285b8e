/**
 * Lighthouse's CPU calibration: the mobile preset's 4× slowdown assumes a host whose benchmarkIndex
 * is about 1000-1500 (a desktop), so that 4× lands in the mid-tier mobile bracket. On a slower host
 * the same 4× emulates a much slower phone than intended. Lighthouse's docs (docs/throttling.md,
 * "Calibrating the CPU slowdown") say to lower the multiplier on such a host and point to their CPU
 * slowdown calculator; this is that calculator's published mapping from benchmarkIndex to multiplier,
 * piecewise linear between its anchors: 150 → 1×, 800 → 2×, 1300 → 3×, then +1× per 233 points
 * (1533 → 4×, 2000 → 6×). Below 150 the host is too slow to emulate the target device at all.
 */

/** The benchmarkIndex anchors of the calculator and the slowdown each one maps to. */
const ANCHORS: readonly [index: number, multiplier: number][] = [
  [150, 1],
  [800, 2],
  [1300, 3],
];
/** Above the last anchor the calculator adds 1× per this many benchmark points. */
const POINTS_PER_STEP_ABOVE = 233;

/**
 * The cpuSlowdownMultiplier that makes this host emulate Lighthouse's mid-tier mobile target, to one
 * decimal (as the calculator prints it); undefined when the host is below the calculator's range.
 */
export function calibratedCpuMultiplier(benchmarkIndex: number): number | undefined {
  if (!Number.isFinite(benchmarkIndex) || benchmarkIndex < ANCHORS[0]![0]) return undefined;
  const last = ANCHORS.at(-1)!;
  let multiplier: number;
  if (benchmarkIndex >= last[0]) multiplier = last[1] + (benchmarkIndex - last[0]) / POINTS_PER_STEP_ABOVE;
  else {
    const upper = ANCHORS.findIndex(([index]) => index > benchmarkIndex);
    const [i0, m0] = ANCHORS[upper - 1]!;
    const [i1, m1] = ANCHORS[upper]!;
    multiplier = m0 + ((benchmarkIndex - i0) / (i1 - i0)) * (m1 - m0);
  }
  return Math.round(multiplier * 10) / 10;
}
