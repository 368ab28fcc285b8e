/**
 * Ingest of camera-size photos (issue 17): the app's pipeline on 8-20 MP JPEGs beside the image
 * model alone on the same photos' already-decoded 224 px inputs, in the same run; and what one photo
 * costs to decode, with the app's shrink-on-load single decode and with a full-size decode.
 * Two forms of the same photographs: as the packages ship them (progressive JPEGs, saved again by
 * the wallpaper project), and written again as a camera writes its files (baseline JPEG, quality 95,
 * 4:2:0, every other photo stored sideways with EXIF orientation 6, as a camera held upright stores
 * it). Each photo is ingested as `copies` files (a JPEG comment apart, so each is a new photo to the
 * content hash), so the pipeline runs long enough to overlap decoding with embedding.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import type { ImageEmbedder, RgbImage } from "@/lib/embedding/types";
import { decodeImage } from "@/lib/ingest/image";
import { Ingestor } from "@/lib/ingest/pipeline";
import { createStore } from "@/lib/store";
import { meanAbsDifference } from "@/lib/testing";
import { cameraPhotos, type CameraPhoto } from "./camera-photos";
import { round } from "./measure";

const LIMITS = { maxPixels: 100_000_000, thumbnailSize: 480 }; // the app's default THUMBNAIL_SIZE

export interface CameraOptions {
  modelDir: string;
  modelId: string;
  dtypes: string[];
  copies: number;
  cacheDir: string;
  log: (message: string) => void;
}

interface PhotoSet {
  name: string;
  description: string;
  /** One file per photo (the first copy), for the per-photo figures. */
  originals: string[];
  files: string[];
}

export async function cameraIngest(options: CameraOptions) {
  const photos = cameraPhotos(options.cacheDir, options.log);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-camera-"));
  try {
    const sets = await photoSets(photos, workDir, options.copies);
    options.log("camera photos: decode cost per photo");
    const decode = [];
    for (const set of sets) decode.push({ set: set.name, ...(await describe(set)), ...(await decodeCosts(set.originals)) });
    const parity = await referenceParity(sets, workDir, options.log);
    const runs = [];
    for (const dtype of options.dtypes) runs.push(await ingestBesideModel(sets, dtype, options));
    return {
      photos: photos.map(({ name, package: pkg, version, copyright, license }) => ({ name, package: pkg, version, copyright, license })),
      copies: options.copies,
      thumbnailSize: LIMITS.thumbnailSize,
      sets: sets.map(({ name, description }) => ({ name, description })),
      decode,
      parity,
      runs,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function photoSets(photos: CameraPhoto[], workDir: string, copies: number): Promise<PhotoSet[]> {
  const shipped = photos.map((p) => ({ stem: path.parse(p.name).name, bytes: fs.readFileSync(p.file) }));
  const camera = await Promise.all(shipped.map(async ({ stem, bytes }, i) => ({ stem, bytes: await asCameraWrites(bytes, i % 2 === 1) })));
  return [
    writeSet("shipped", "as the packages ship them (progressive JPEG)", shipped, workDir, copies),
    writeSet(
      "camera",
      "written again as a camera writes (baseline JPEG q95 4:2:0, half stored sideways with EXIF orientation 6)",
      camera,
      workDir,
      copies,
    ),
  ];
}

/** A baseline JPEG at quality 95; `sideways`: stored turned a quarter, with EXIF orientation 6 to put it upright. */
async function asCameraWrites(bytes: Buffer, sideways: boolean): Promise<Buffer> {
  const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .rotate(sideways ? -90 : 0)
    .withMetadata({ orientation: sideways ? 6 : 1 })
    .jpeg({ quality: 95, chromaSubsampling: "4:2:0", progressive: false })
    .toBuffer();
}

function writeSet(name: string, description: string, photos: { stem: string; bytes: Buffer }[], workDir: string, copies: number): PhotoSet {
  const dir = path.join(workDir, name);
  fs.mkdirSync(dir);
  const files: string[] = [];
  const originals: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const { stem, bytes } of photos) {
      const file = path.join(dir, `${stem}-${copy}.jpg`);
      fs.writeFileSync(file, withComment(bytes, `copy ${copy}`));
      files.push(file);
      if (copy === 0) originals.push(file);
    }
  }
  return { name, description, originals, files };
}

/** The JPEG with a comment segment (COM) right after its start marker: other bytes, the same picture. */
function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, "latin1");
  const segment = Buffer.alloc(4 + body.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  body.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

async function describe(set: PhotoSet) {
  const metas = await Promise.all(set.originals.map((f) => sharp(f).metadata()));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    photos: set.originals.length,
    megapixels: round(median(metas.map((m) => (m.width! * m.height!) / 1e6)), 1),
    megapixelRange: [
      round(Math.min(...metas.map((m) => (m.width! * m.height!) / 1e6)), 1),
      round(Math.max(...metas.map((m) => (m.width! * m.height!) / 1e6)), 1),
    ],
    mbPerPhoto: round(median(set.originals.map((f) => fs.statSync(f).size / 1e6)), 2),
    progressive: metas.filter((m) => m.isProgressive).length,
  };
}

/**
 * CPU and wall time per photo, one photo at a time: the app's decodeImage (shrink-on-load, one
 * decode for both outputs), and the same outputs from a full-size decode (what every photo cost
 * without shrink-on-load). Two rounds after a warm-up; CPU time counts libvips's threads.
 */
async function decodeCosts(files: string[]) {
  const buffers = files.map((f) => fs.readFileSync(f));
  const cost = async (fn: (b: Buffer) => Promise<unknown>) => {
    for (const b of buffers.slice(0, 2)) await fn(b);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let round = 0; round < 2; round++) for (const b of buffers) await fn(b);
    const used = process.cpuUsage(cpu);
    const n = buffers.length * 2;
    return { cpuMs: round((used.user + used.system) / 1000 / n, 1), wallMs: round((performance.now() - start) / n, 1) };
  };
  const fullSize = await cost(fullSizeDecode);
  const app = await cost((b) => decodeImage(b, LIMITS));
  return { fullSize, app, cpuRatio: round(app.cpuMs / fullSize.cpuMs, 2) };
}

/** The baseline: decode every pixel, then make the thumbnail and the encoder's square from them. */
async function fullSizeDecode(bytes: Buffer) {
  const { data, info } = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true });
  const pixels = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const size = LIMITS.thumbnailSize;
  return Promise.all([
    pixels().resize({ width: size, height: size, fit: "inside" }).webp({ quality: 80, effort: 0 }).toBuffer(), // as the app encodes thumbnails
    pixels().resize({ width: 224, height: 224, fit: "cover", kernel: "cubic" }).raw().toBuffer(),
  ]);
}

/**
 * How far the encoder's input is from the reference CLIP preprocessor (Hugging Face's
 * CLIPImageProcessor on Pillow, from every pixel) on these photos: mean absolute difference in
 * levels of 0-255, per photo. Undefined when the Python side is missing.
 */
async function referenceParity(sets: PhotoSet[], workDir: string, log: (message: string) => void) {
  const out = path.join(workDir, "reference");
  fs.mkdirSync(out);
  const files = sets.flatMap((s) => s.originals);
  try {
    execFileSync("python3", ["scripts/bench/reference_crops.py", "--out", out, ...files], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    log(
      `camera photos: no Pillow reference (${String((error as { stderr?: Buffer }).stderr ?? error)
        .split("\n")
        .slice(-2)
        .join(" ")})`,
    );
    return undefined;
  }
  const differences: number[] = [];
  for (const file of files) {
    const ours = await decodeImage(fs.readFileSync(file), LIMITS);
    const reference = await sharp(path.join(out, `${path.parse(file).name}.png`))
      .removeAlpha()
      .raw()
      .toBuffer();
    differences.push(meanAbsDifference(ours.embedInput.data, reference));
  }
  return {
    meanLevels: round(differences.reduce((a, b) => a + b, 0) / differences.length, 2),
    maxLevels: round(Math.max(...differences), 2),
  };
}

/**
 * One dtype: the model alone on the decoded inputs (before and after the ingests, since a shared
 * machine's load drifts), then the app's pipeline on each set into a fresh embedded store.
 */
async function ingestBesideModel(sets: PhotoSet[], dtype: string, options: CameraOptions) {
  const cfg = parseConfig({ MODEL_DIR: options.modelDir, IMAGE_MODEL: options.modelId, IMAGE_DTYPE: dtype });
  const { image, space } = createServerEmbedders(cfg);
  const batchSize = Math.max(cfg.models.batchSize, 8); // as the app's composition root sets it
  const inputs: RgbImage[] = [];
  for (const file of sets[0]!.files) inputs.push((await decodeImage(fs.readFileSync(file), LIMITS)).embedInput);
  await image.embedImages(inputs.slice(0, 1)); // loads the model
  options.log(`camera photos, ${dtype}: the model alone on ${inputs.length} decoded inputs`);
  const before = await modelAlone(image, inputs, batchSize);
  const ingests = [];
  for (const set of sets) {
    options.log(`camera photos, ${dtype}: ingesting ${set.files.length} files (${set.name})`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-camera-data-"));
    try {
      const store = createStore(parseConfig({ DATA_DIR: dataDir, STORE: "embedded" }));
      await store.ensureIndex(space);
      const ingestor = new Ingestor({ store, embedder: image, dataDir, limits: { ...LIMITS, maxFileBytes: 512 * 1024 * 1024 }, batchSize });
      const cpu = process.cpuUsage();
      const start = performance.now();
      const summary = await ingestor.ingest(path.dirname(set.files[0]!), set.files);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      await store.close();
      if (summary.indexed !== set.files.length)
        throw new Error(`camera ingest indexed ${summary.indexed} of ${set.files.length}: ${JSON.stringify(summary.failed.slice(0, 3))}`);
      ingests.push({
        set: set.name,
        photosPerS: round(set.files.length / (ms / 1000), 2),
        cpuMsPerPhoto: round((used.user + used.system) / 1000 / set.files.length, 1),
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const after = await modelAlone(image, inputs, batchSize);
  const modelPhotosPerS = (before.photosPerS + after.photosPerS) / 2;
  return {
    dtype,
    batchSize,
    files: inputs.length,
    model: { before, after, photosPerS: round(modelPhotosPerS, 2) },
    ingests: ingests.map((i) => ({ ...i, ratio: round(i.photosPerS / modelPhotosPerS, 2) })),
  };
}

async function modelAlone(image: ImageEmbedder, inputs: RgbImage[], batchSize: number) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < inputs.length; i += batchSize) await image.embedImages(inputs.slice(i, i + batchSize));
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { photosPerS: round(inputs.length / (ms / 1000), 2), cpuMsPerPhoto: round((used.user + used.system) / 1000 / inputs.length, 1) };
}
