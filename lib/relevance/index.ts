/**
 * The adaptive relevance cut-off: how many of a ranked result set are relevant, decided per query
 * from its own score distribution, never by one global threshold. A flat cut-off fails because
 * cosines depend on the query (immich #5996: relevant matches at distance 0.91, irrelevant from
 * 0.93), so three relative rules decide, and an absolute floor only where a model is calibrated:
 *
 * 1. Close to the top: within `margin` of the best score (text→image cosines of CLIP sit in a narrow
 *    band, 0.2–0.35, so the margin is small; image→image cosines spread far wider).
 * 2. Above the background: the lower half of a full candidate window is mostly unrelated photos;
 *    a hit must stand `zBackground` robust deviations above its median.
 * 3. Before the cliff: inside what rules 1–2 keep, the widest gap between neighbours cuts the list
 *    when it is much wider than the window's typical gap.
 *
 * Rule 2 fails when relevant photos fill more than half of the window (a common word in a small
 * library): its "background" is then relevant too, and it keeps only the top few. So first the
 * window is split in two where the groups differ most (Otsu's split, as in image thresholding);
 * when the two groups stand far apart (a separation no noise-only window reaches: a normal sample
 * split at its best point measures about 2.7 pooled deviations), the upper group is the relevant set,
 * bounded by a wider margin and the floor. Otherwise rules 1–3 decide.
 */

export type QueryKind = "text" | "image";

export interface CutoffProfile {
  /** How far below the top hit a relevant hit may score. */
  margin: number;
  /** Deviations above the background median a relevant hit must reach. */
  zBackground: number;
  /** A gap this many times the median gap ends the relevant set… */
  gapRatio: number;
  /** …when it is also at least this wide in absolute terms. */
  minGap: number;
  /** Pooled deviations between the window's two groups above which the upper group is taken whole… */
  minSeparation: number;
  /** …as far as this below the top hit (wider than `margin`: a relevant set that big spreads further). */
  splitMargin: number;
}

export const PROFILES: Record<QueryKind, CutoffProfile> = {
  text: { margin: 0.07, zBackground: 3, gapRatio: 6, minGap: 0.015, minSeparation: 4, splitMargin: 0.12 },
  image: { margin: 0.22, zBackground: 3, gapRatio: 6, minGap: 0.04, minSeparation: 4, splitMargin: 0.3 },
};

/**
 * Absolute floors for models whose cosines are known (OpenAI CLIP ViT-B/32: an unrelated photo
 * scores about 0.12–0.2 against a caption). Below the floor nothing is relevant.
 */
const FLOORS: Record<string, Record<QueryKind, number>> = {
  "Xenova/clip-vit-base-patch32": { text: 0.2, image: 0.6 },
  "Xenova/clip-vit-base-patch16": { text: 0.2, image: 0.6 },
};

/** Fewer candidates than this say nothing about the background; only rules 1 and 3 apply. */
export const MIN_BACKGROUND = 20;

export interface CutoffOptions {
  kind: QueryKind;
  modelId?: string;
  profile?: CutoffProfile;
}

/** Number of leading hits judged relevant. `scores` must be sorted from best to worst. */
export function relevantCount(scores: readonly number[], options: CutoffOptions): number {
  const top = scores[0];
  if (top === undefined) return 0;
  const profile = options.profile ?? PROFILES[options.kind];
  const floor = options.modelId ? FLOORS[options.modelId]?.[options.kind] : undefined;
  if (floor !== undefined && top < floor) return 0;
  const split = scores.length >= MIN_BACKGROUND ? twoGroupSplit(scores) : undefined;
  if (split && split.separation >= profile.minSeparation)
    return Math.min(split.at, countAtLeast(scores, Math.max(top - profile.splitMargin, floor ?? -Infinity)));
  let threshold = Math.max(top - profile.margin, floor ?? -Infinity);
  const background = backgroundThreshold(scores, profile);
  if (background !== undefined) threshold = Math.max(threshold, Math.min(background, top));
  const kept = countAtLeast(scores, threshold);
  return cutAtCliff(scores, kept, profile);
}

function countAtLeast(scores: readonly number[], threshold: number): number {
  let n = 0;
  while (n < scores.length && scores[n]! >= threshold) n++;
  return Math.max(n, 1);
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Otsu's split of a sorted list: the head size that maximizes the between-group variance, and how
 * far apart the two groups stand (difference of means over the pooled within-group deviation).
 * One pass over prefix sums: O(n).
 */
export function twoGroupSplit(scores: readonly number[]): { at: number; separation: number } {
  const n = scores.length;
  const sum = [0];
  const squares = [0];
  for (const s of scores) {
    sum.push(sum.at(-1)! + s);
    squares.push(squares.at(-1)! + s * s);
  }
  let best = { at: 0, between: -1, separation: 0 };
  for (let k = 1; k < n; k++) {
    const head = sum[k]! / k;
    const tail = (sum[n]! - sum[k]!) / (n - k);
    const between = k * (n - k) * (head - tail) ** 2;
    if (between <= best.between) continue;
    const within = (squares[k]! - k * head * head + (squares[n]! - squares[k]!) - (n - k) * tail * tail) / n;
    best = { at: k, between, separation: (head - tail) / Math.sqrt(Math.max(within, 1e-12)) };
  }
  return { at: best.at, separation: best.separation };
}

/** Median + z × (scaled median absolute deviation) of the lower half, or undefined for small sets. */
function backgroundThreshold(scores: readonly number[], profile: CutoffProfile): number | undefined {
  if (scores.length < MIN_BACKGROUND) return undefined;
  const lower = scores.slice(Math.floor(scores.length / 2)).sort((a, b) => a - b);
  const center = median(lower);
  const deviations = lower.map((s) => Math.abs(s - center)).sort((a, b) => a - b);
  const spread = 1.4826 * median(deviations);
  return center + profile.zBackground * Math.max(spread, 1e-4);
}

/** Cuts the first `kept` scores at their widest gap when that gap is a cliff. */
function cutAtCliff(scores: readonly number[], kept: number, profile: CutoffProfile): number {
  const gaps: number[] = [];
  for (let i = 1; i < scores.length; i++) gaps.push(scores[i - 1]! - scores[i]!);
  if (gaps.length < 2) return kept;
  const typical = Math.max(median([...gaps].sort((a, b) => a - b)), 1e-4);
  let widest = -1;
  let at = kept;
  // Gaps inside the kept set, and the one just after it (so a cliff right at the edge is not missed).
  for (let i = 0; i < Math.min(kept, gaps.length); i++) {
    const gap = gaps[i]!;
    if (gap > widest) {
      widest = gap;
      at = i + 1;
    }
  }
  return widest >= profile.minGap && widest >= profile.gapRatio * typical ? Math.min(at, kept) : kept;
}
