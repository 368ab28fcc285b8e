/**
 * Reciprocal rank fusion (Cormack et al. 2009): each list contributes 1 / (rankConstant + rank)
 * for every item it ranks. Scores from different rankers (cosine, BM25) need no calibration.
 */
export function reciprocalRankFusion<T>(lists: T[][], keyOf: (item: T) => string, rankConstant = 60): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const list of lists) {
    list.forEach((item, index) => {
      const key = keyOf(item);
      const entry = fused.get(key) ?? { item, score: 0 };
      entry.score += 1 / (rankConstant + index + 1);
      fused.set(key, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
