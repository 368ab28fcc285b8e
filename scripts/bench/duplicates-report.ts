/** Section 12 of docs/benchmarks.md: the duplicates review at 10k and 100k photos on both stores. */

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON report

export const DUPLICATES_HEADING = "## 12. Duplicates review at scale (both stores, planted groups)";

const row = (r: Any) =>
  `| ${r.store} | ${r.n.toLocaleString("en")} | **${r.reviewS}** | ${r.previousPass ? `${r.previousPass.perPhotoMs} ms → ${r.previousPass.allPhotosS} s` : "—"} | ${r.searchPerPhoto.meanMs} ms → ${r.searchPerPhoto.allPhotosS} s | ${r.previewS ?? "—"} | ${r.planted} | ${r.recall} (${r.recallNearIdentical} / ${r.recallBurst}) | ${r.precision} | ${r.fillS} |`;

/** How much longer the larger library took than the smaller one, per store. */
function growth(rows: Any[]): string[] {
  const lines: string[] = [];
  for (const store of ["embedded", "elasticsearch"]) {
    const of = rows.filter((r) => r.store === store).sort((a, b) => a.n - b.n);
    if (of.length < 2) continue;
    const [small, large] = [of[0]!, of.at(-1)!];
    const size = large.n / small.n;
    lines.push(
      `- ${store}: ${size}× the photos took ${(large.reviewS / small.reviewS).toFixed(1)}× the review time (one search per photo: ${(large.searchPerPhoto.allPhotosS / small.searchPerPhoto.allPhotosS).toFixed(1)}×).`,
    );
  }
  return lines;
}

export function duplicatesSection(run: Any, note: string): string[] {
  return [
    DUPLICATES_HEADING,
    "",
    note,
    "",
    "A full review (the neighbour graph built and grouped with the default thresholds, as the first `/api/duplicates` request after a change and `npm run duplicates` run it) of the bench's synthetic photos (512 dims, around 1,000 themes) with duplicate groups planted: every 50th photo starts a group of 2-4, alternately near-identical copies (cosine 0.97-0.99, hashes 1-3 bits apart) and bursts (cosine 0.88-0.93, 5 s apart). Recall: planted groups found exactly (members and class), overall (near-identical / burst); precision: found groups that are planted ones. Baselines, same run: the store's plain kNN search (k = 8, as the review asks), timed on 200 photos, and that mean times n: one search per photo, one after another (on the embedded store, the review before its HNSW pass: an exact scan per photo); on Elasticsearch also the pass as it was before its searches went out in `_msearch` batches (one filtered search per photo, 4 in flight), timed on 1,000 photos, times n. Preview: the next request with other thresholds (near 0.9, burst 0.8 within 60 s), regrouped from the cached graph.",
    "",
    "| store | photos | review (s) | baseline: previous pass (per photo → × n) | baseline: one kNN search per photo (mean → × n) | threshold preview (s) | planted groups | recall (near-identical / burst) | precision | fill (s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...run.rows.map(row),
    "",
    ...growth(run.rows),
    "",
    "Analysis: docs/search-understanding.md, Duplicates.",
    "",
  ];
}
