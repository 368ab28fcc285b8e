/** The camera-photo section of docs/benchmarks.md (scripts/bench/camera.ts). */
/* eslint-disable @typescript-eslint/no-explicit-any -- figures are read back from JSON */
type Any = any;

export const CAMERA_HEADING = "## 9. Camera photos: ingest of 8-20 MP JPEGs beside the model alone (issue 17)";

/**
 * Measured apart from the bench (profiling on 2026-12-02, a loaded 2-core machine: each figure
 * ±20%), kept as prose beside the figures the bench regenerates.
 */
const WHERE_THE_TIME_GOES = [
  "Where a camera photo's CPU goes besides the model (fp32, measured by parts on 2026-12-02 on this machine under load 6-14, each ±20%): libjpeg's 1/8-scale decode with the turn upright and the Lanczos step to 480 px 27-30 ms, the floor, since every coefficient is Huffman-decoded at any scale; the thumbnail's WebP 9.4 ms at effort 2, now 5.7 at effort 0; the reduced copy as an uncompressed TIFF written once and read twice 5 ms, now raw pixels when the thumbnail needs no colour management (no ICC profile or an sRGB one); the encoder's cubic resize and crop 1.6 ms; metadata 0.7, SHA-256 1.2, EXIF 0.4, reading the file 0.2, SQLite and the rest 2-3. The model's CPU time was a third spinning (onnxruntime's idle threads; ~110 ms a photo, ~73 with spinning off, as the image model now runs), which during ingest took a core from the decodes. And onnxruntime runs a batch on the main thread and holds it, so a decode moved one step per model call: after each batch's model run (~800 ms for 8 photos) the loop waited 300-500 ms more for the next batch's decode. The next batch is now read, hashed and handed to libvips's threads before the model starts, and its thumbnails are encoded beside the next model run.",
  "",
  "The progressive set: at 1/8 scale libjpeg still decodes every scan of a progressive file and keeps the whole picture's coefficients before it outputs a row, 77 ms CPU a photo for the decode alone against 27 for the same pictures as baseline JPEGs, so its decode by itself is most of the model's CPU (fp32) and more than the goal leaves. The 1/8-scale picture is exactly the DC coefficients, which a progressive file carries in its first scans; a decoder that stopped after them (libjpeg's buffered-image mode) would skip most of that work, but libvips does not offer it.",
  "",
];

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
    "**Ingest beside the model alone** (same run; the model alone embeds the already-decoded 224 px inputs of the same photos in the same batches, measured before and after the ingests and averaged; CPU ms per photo counts every thread of the process. Their ratio is a floor for the photos/s ratio on an idle machine: the pipeline keeps both cores busy, while the model alone, whose threads sleep rather than spin when they wait, need not; on a loaded machine both get what the other processes leave):",
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
    ...WHERE_THE_TIME_GOES,
  ];
}
