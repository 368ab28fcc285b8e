/** Section 7 of docs/benchmarks.md: the relevance cut-off, negatives and duplicates on labelled sets. */

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON report

export const UNDERSTANDING_HEADING = "## 7. Search understanding: relevance cut-off, negative queries, duplicates";

const cutoffTable = (c: Any) => [
  `| ${c.queries} queries | precision | recall | F1 | mean returned |`,
  "| --- | --- | --- | --- | --- |",
  ...c.methods.map((m: Any) => {
    const name = m.method === "adaptive cut-off" ? `**${m.method}**` : m.method;
    return `| ${name} | ${m.precision} | ${m.recall} | ${m.f1} | ${m.meanReturned} |`;
  }),
];

const negativesTable = (n: Any): string[] =>
  n.pairs === 0
    ? ["(no label pairs: one label per photo)"]
    : [
        `| ${n.pairs} pairs "A" − "B" | share of relevant hits with B | in top-10 | precision (A without B) | recall |`,
        "| --- | --- | --- | --- | --- |",
        ...n.strategies.map(
          (s: Any) => `| ${s.strategy} | ${s.excludedShareRelevant} | ${s.excludedShareTop10} | ${s.precision} | ${s.recall} |`,
        ),
      ];

function setLines(set: Any): string[] {
  const model = set.model;
  return [
    `### ${set.set}: ${set.photos} photos`,
    "",
    "Label-space simulation (CLIP-like geometry from the set's own labels; measures the algorithms, not a model):",
    "",
    ...cutoffTable(set.simulation.cutoff),
    "",
    ...negativesTable(set.simulation.negatives),
    "",
    `The model \`${model.model}\` (${model.weights === "real" ? "real weights" : "**random test weights: figures at chance**, a check of the harness only"}):`,
    "",
    ...cutoffTable(model.cutoff),
    "",
  ];
}

function duplicatesLines(d: Any | undefined): string[] {
  if (!d) return [];
  return [
    `### Duplicates: ${d.originals} shared photos, ${d.variants} generated variants, ${d.unrelated} unrelated photos`,
    "",
    `Each original is copied byte for byte to a second path, re-encoded small (320 px wide), recompressed (JPEG quality 35), cropped (5% off each side) and rotated 90°; "near but different" pairs each original with its closest other photo by the model, which must stay apart. Ground truth per pair; \`lib/duplicates\` with its default thresholds (cosine ≥ 0.95 and ≤ 10 of 64 hash bits for a copy) on a library the app ingested, the hash from the thumbnails ingest wrote. Model \`${d.model}\` (${d.weights === "real" ? "real weights" : "**random test weights**: their cosine between a photo and its resized copy measured 0.35–0.45, so the resized and cropped recalls measure the test model, not the method; identical files need no model"}).`,
    "",
    "| class | pairs | found as | precision | recall |",
    "| --- | --- | --- | --- | --- |",
    ...d.classes.map((c: Any) => `| ${c.truth} | ${c.pairs} | ${c.expected} | ${c.precision ?? "—"} | ${c.recall} |`),
    "",
    "A 90° rotation also changes the difference hash (it is not rotation-invariant), so rotated copies are not grouped as copies by design; with a real model they may still appear as near matches in search.",
    ...(d.notes ?? []).flatMap((n: string) => [n, ""]),
    "",
  ];
}

export function understandingSection(u: Any | undefined, note?: string): string[] {
  if (!u) return [];
  const sets: Any[] = Array.isArray(u) ? u : u.sets;
  return [
    UNDERSTANDING_HEADING,
    "",
    ...(note ? [note, ""] : []),
    'Relevance: "a photo of a <label>" is relevant to the photos carrying the label (COCO-mini object labels, Flickr8k caption words, CIFAR-10 classes); each query ranks a 200-photo window as the app does. The adaptive cut-off is compared with fixed top-k and with the cut-off it replaced (margin 0.07, background and cliff rules, no two-group split). Negatives: how each strategy keeps the excluded label out. Details and the decisions taken from these figures: docs/search-understanding.md.',
    "",
    "Where no real CLIP weights are present the model rows are the random test model's (at chance) and the decisions rest on the simulation; the real model's run: `MODEL_DIR=<a folder holding Xenova/clip-vit-base-patch32 with its onnx/> npm run bench -- --only understanding`.",
    "",
    ...sets.flatMap(setLines),
    ...duplicatesLines(Array.isArray(u) ? undefined : u.duplicates),
  ];
}
