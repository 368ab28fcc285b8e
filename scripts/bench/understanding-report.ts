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
    `Each original is copied byte for byte to a second path, re-encoded, resized, cropped and rotated; near-but-different pairs are photos of one scene from the same set (the closest other photo by the model). Ground truth per pair; \`lib/duplicates\` on the embedded store with the default thresholds, the perceptual hash from the thumbnails the app writes. Model \`${d.model}\` (${d.weights === "real" ? "real weights" : "random test weights: the cosine carries no meaning, so the perceptual hash and the identical-bytes check do the work"}).`,
    "",
    "| class | pairs | found as | precision | recall |",
    "| --- | --- | --- | --- | --- |",
    ...d.classes.map((c: Any) => `| ${c.truth} | ${c.pairs} | ${c.expected} | ${c.precision ?? "—"} | ${c.recall} |`),
    "",
    ...(d.notes ?? []).flatMap((n: string) => [n, ""]),
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
    ...sets.flatMap(setLines),
    ...duplicatesLines(Array.isArray(u) ? undefined : u.duplicates),
  ];
}
