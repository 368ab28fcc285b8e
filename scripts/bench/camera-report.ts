/** The camera-photo section of docs/benchmarks.md (scripts/bench/camera.ts). */
/* eslint-disable @typescript-eslint/no-explicit-any -- figures are read back from JSON */
type Any = any;

export const CAMERA_HEADING = "## 9. Camera photos: ingest of 8-20 MP JPEGs beside the model alone (issue 17)";

const modelCpu = (r: Any) => Math.round((r.model.before.cpuMsPerPhoto + r.model.after.cpuMsPerPhoto) / 2);

export function cameraSection(c: Any, note: string): string[] {
  const sets = Object.fromEntries(c.sets.map((s: Any) => [s.name, s.description]));
  const packages = [...new Set(c.photos.map((p: Any) => `${p.package} ${p.version}`))].join(", ");
  const licences = [...new Set(c.photos.map((p: Any) => p.license))].join(", ");
  return [
    CAMERA_HEADING,
    "",
    note,
    "",
    `Photos: ${c.photos.length} photographs from Debian's ${packages} (the Ubuntu community's wallpaper photos; ${licences}, per photo in the package's copyright file), fetched by the bench with apt-get, never committed: ${c.photos.map((p: Any) => p.name.replace(/\.jpg$/, "")).join(", ")}. Each is ingested as ${c.copies} files (a JPEG comment apart: new photos to the content hash, the same pixels), thumbnails ${c.thumbnailSize} px (the default). Full-size ViT-B/32 graph, random weights, the app's embedded store.`,
    "",
    "| set | photos | megapixels (median, range) | MB per file (median) | progressive |",
    "| --- | --- | --- | --- | --- |",
    ...c.decode.map(
      (d: Any) =>
        `| ${d.set}: ${sets[d.set]} | ${d.photos} | ${d.megapixels} (${d.megapixelRange[0]}–${d.megapixelRange[1]}) | ${d.mbPerPhoto} | ${d.progressive} of ${d.photos} |`,
    ),
    "",
    "**Ingest beside the model alone** (same run; the model alone embeds the already-decoded 224 px inputs of the same photos in the same batches, measured before and after the ingests and averaged; CPU ms per photo counts every thread of the process, and their ratio is what the photos/s ratio tends to on an idle machine, where the pipeline keeps both cores busy):",
    "",
    "| precision | model alone: photos/s (before, after) | model alone: CPU ms/photo | set | ingest photos/s | ingest CPU ms/photo | **ingest ÷ model alone** (goal ≥ 0.8) | CPU: model alone ÷ ingest |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...c.runs.flatMap((r: Any) =>
      r.ingests.map(
        (i: Any) =>
          `| ${r.dtype} | ${r.model.photosPerS} (${r.model.before.photosPerS}, ${r.model.after.photosPerS}) | ${modelCpu(r)} | ${i.set} | ${i.photosPerS} | ${i.cpuMsPerPhoto} | **${i.ratio}** | ${(modelCpu(r) / i.cpuMsPerPhoto).toFixed(2)} |`,
      ),
    ),
    "",
    "**Decoding one photo** (thumbnail + the encoder's 224 px input, one photo at a time): the app's decode (libjpeg's shrink-on-load, one decode feeding both outputs) beside a full-size decode making the same outputs:",
    "",
    "| set | full-size decode: CPU ms / wall ms | the app: CPU ms / wall ms | CPU: app ÷ full-size |",
    "| --- | --- | --- | --- |",
    ...c.decode.map(
      (d: Any) => `| ${d.set} | ${d.fullSize.cpuMs} / ${d.fullSize.wallMs} | ${d.app.cpuMs} / ${d.app.wallMs} | ${d.cpuRatio} |`,
    ),
    "",
    c.parity
      ? `The encoder's input against the reference preprocessor (CLIPImageProcessor on Pillow, resizing from every pixel) on these photos: mean ${c.parity.meanLevels}, worst ${c.parity.maxLevels} levels of 255 (mean absolute difference per photo).`
      : "The reference preprocessor (Python, transformers) was not available: no parity figure in this run.",
    "",
  ];
}
