/** Section 12 of docs/benchmarks.md: the duplicates review at 10k and 100k photos on both stores. */

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON report

export const DUPLICATES_HEADING = "## 12. Duplicates review at scale (both stores, planted groups)";

const row = (r: Any) =>
  `| ${r.store} | ${r.n.toLocaleString("en")} | **${r.reviewS}** | ${r.searchPerPhoto.meanMs} ms → ${r.searchPerPhoto.allPhotosS} s | ${r.planted} | ${r.recall} (${r.recallNearIdentical} / ${r.recallBurst}) | ${r.precision} | ${r.fillS} |`;

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
    "A full review (`findDuplicates` with the default thresholds, as `/api/duplicates` and `npm run duplicates` run it) of the bench's synthetic photos (512 dims, around 1,000 themes) with duplicate groups planted: every 50th photo starts a group of 2-4, alternately near-identical copies (cosine 0.97-0.99, hashes 1-3 bits apart) and bursts (cosine 0.88-0.93, 5 s apart). Recall: planted groups found exactly (members and class), overall (near-identical / burst); precision: found groups that are planted ones. Baseline, same run: the store's plain kNN search (k = 8, as the review asks), timed on 200 photos, and that mean times n: one search per photo, one after another (on the embedded store, the review before its HNSW pass: an exact scan per photo).",
    "",
    "| store | photos | review (s) | baseline: one kNN search per photo (mean → × n) | planted groups | recall (near-identical / burst) | precision | fill (s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...run.rows.map(row),
    "",
    ...growth(run.rows),
    "",
    "Analysis: docs/search-understanding.md, Duplicates.",
    "",
  ];
}
