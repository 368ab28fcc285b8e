/**
 * The two indices people bring from the Alibaba Cloud / Elastic lab, built on a real Elasticsearch
 * the way the peers' own scripts build them (fixtures/peer-indices/README.md says where each piece
 * comes from):
 * - `tutorial`: radoondas/flask-elastic-nlp `embeddings/build-datasets.py` creates `image-embeddings`
 *   from `image-embeddings-mappings.json` and bulk-indexes Unsplash rows (the columns it keeps, with
 *   pandas' `fillna('')` and `exif_iso` 0) merged with `{photo_id, image_embedding}` lines;
 * - `generator`: radoondas/flask-elastic-image-search `image_embeddings/create-image-embeddings.py`
 *   walks `images/**\/*.jp*g` and writes `{image_id: file stem, image_name, image_embedding,
 *   relative_path, exif: {date?, location?: [lon, lat]}}` into `my-image-embeddings`.
 * Vectors come from real photos in ../shared/datasets, embedded with the test model exactly as the
 * app embeds a query image, then scaled: `SentenceTransformer.encode` does not normalize.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import type { ImageEmbedder } from "@/lib/embedding/types";
import { readExif } from "@/lib/ingest/exif";
import { decodeImage } from "@/lib/ingest/image";
import { asUnitVector } from "@/lib/vector";
import { DATASETS, GPS_SAMPLES, PROJECT, tempDir } from "./index";

export const PEER_FIXTURES = path.join(PROJECT, "fixtures", "peer-indices");
const TUTORIAL_DIR = path.join(PEER_FIXTURES, "flask-elastic-nlp");
const GENERATOR_DIR = path.join(PEER_FIXTURES, "flask-elastic-image-search");

export type PeerLayout = "tutorial" | "generator";

export interface PeerIndex {
  layout: PeerLayout;
  index: string;
  /** The documents as indexed. */
  docs: Record<string, unknown>[];
  /** Each photo's unit vector, by the peer's id. */
  unitVectors: Map<string, Float32Array>;
  /** Each photo's local file, by the peer's id (for image queries). */
  files: Map<string, string>;
  /** The generator layout's image folder (ES_IMAGE_ROOT). */
  imageRoot?: string;
}

/** `{ settings, mappings }` as the peer wrote it. */
export function peerMapping(layout: PeerLayout): { settings: object; mappings: { properties: Record<string, unknown> } } {
  const dir = layout === "tutorial" ? TUTORIAL_DIR : GENERATOR_DIR;
  return JSON.parse(fs.readFileSync(path.join(dir, "image-embeddings-mappings.json"), "utf8"));
}

/** Raw encoder output: the unit vector times a length like CLIP's (about 10), different per photo. */
async function unnormalizedEmbedding(embedder: ImageEmbedder, file: string, i: number): Promise<number[]> {
  const decoded = await decodeImage(fs.readFileSync(file), { maxPixels: 100_000_000, thumbnailSize: 64 });
  const [vector] = await embedder.embedImages([decoded.embedInput]);
  const scale = 7 + (i % 5) * 1.9;
  return Array.from(vector!, (v) => v * scale);
}

async function createIndex(esUrl: string, index: string, layout: PeerLayout, docs: Record<string, unknown>[]): Promise<void> {
  // es.indices.create(index=…, mappings=config["mappings"], settings=config["settings"])
  const put = await fetch(`${esUrl}/${index}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(peerMapping(layout)),
  });
  if (!put.ok) throw new Error(`creating ${index}: ${await put.text()}`);
  // parallel_bulk(actions=rows, index=index): each row is a document with an id Elasticsearch picks.
  const body = docs.flatMap((doc) => [JSON.stringify({ index: { _index: index } }), JSON.stringify(doc)]).join("\n") + "\n";
  const bulk = await fetch(`${esUrl}/_bulk?refresh=true`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
  const result = (await bulk.json()) as { errors: boolean; items: unknown[] };
  if (result.errors) throw new Error(`indexing into ${index}: ${JSON.stringify(result.items).slice(0, 500)}`);
}

/** The tutorial's `image-embeddings`: Unsplash rows merged with their embeddings on photo_id. */
export async function buildTutorialIndex(esUrl: string, index: string, embedder: ImageEmbedder): Promise<PeerIndex> {
  const rows = parseCsv(fs.readFileSync(path.join(TUTORIAL_DIR, "photos.tsv"), "utf8"), {
    delimiter: "\t",
    columns: true,
    quote: false,
  }) as Record<string, string>[];
  const images = JSON.parse(fs.readFileSync(path.join(TUTORIAL_DIR, "images.json"), "utf8")) as Record<string, string>;
  const docs: Record<string, unknown>[] = [];
  const unitVectors = new Map<string, Float32Array>();
  const files = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    const id = row.photo_id!;
    const file = path.join(DATASETS, images[id]!);
    const image_embedding = await unnormalizedEmbedding(embedder, file, i);
    // df.fillna(''): missing text is an empty string, never null; a missing exif_iso is 0.
    docs.push({ ...row, exif_iso: row.exif_iso ? Number(row.exif_iso) : 0, image_embedding });
    unitVectors.set(id, asUnitVector(image_embedding));
    files.set(id, file);
  }
  await createIndex(esUrl, index, "tutorial", docs);
  return { layout: "tutorial", index, docs, unitVectors, files };
}

/**
 * The generator's library: photos below an `images/` folder (top level and sub-folders; GPS-tagged
 * and EXIF-less), copied into a fresh folder that becomes ES_IMAGE_ROOT.
 */
const GENERATOR_LIBRARY: [string, string][] = [
  ["IMG_4032.jpg", path.join(DATASETS, "coco-mini/images/val2017/000000397133.jpg")],
  ["DSC 0001 (2).jpeg", path.join(DATASETS, "coco-mini/images/val2017/000000117645.jpg")],
  ["tuscany/DSCN0010.jpg", path.join(GPS_SAMPLES, "images/DSCN0010.jpg")],
  ["tuscany/DSCN0012.jpg", path.join(GPS_SAMPLES, "images/DSCN0012.jpg")],
  ["tuscany/hills/DSCN0021.jpg", path.join(GPS_SAMPLES, "images/DSCN0021.jpg")],
  ["trips/HMD_Nokia_8.3_5G.jpg", path.join(GPS_SAMPLES, "images/HMD_Nokia_8.3_5G.jpg")],
  ["trips/iphone_hdr_YES.jpg", path.join(GPS_SAMPLES, "images/iphone_hdr_YES.jpg")],
  ["trips-old/000000349860.jpg", path.join(DATASETS, "coco-mini/images/val2017/000000349860.jpg")],
  ["kitchen/IMG_20190704_1.jpg", path.join(DATASETS, "coco-mini/images/val2017/000000135561.jpg")],
];

/** get_exif_date: DateTimeOriginal as a naive ISO string (datetime.isoformat()), or nothing. */
function peerDate(takenAt: string | undefined): string | undefined {
  return takenAt?.replace(/\.\d{3}Z$/, "");
}

export async function buildGeneratorIndex(esUrl: string, index: string, embedder: ImageEmbedder): Promise<PeerIndex> {
  const imageRoot = path.join(tempDir("peer-generator-"), "images");
  const docs: Record<string, unknown>[] = [];
  const unitVectors = new Map<string, Float32Array>();
  const files = new Map<string, string>();
  for (const [i, [relative, source]] of GENERATOR_LIBRARY.entries()) {
    const file = path.join(imageRoot, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(source, file);
    const image_embedding = await unnormalizedEmbedding(embedder, file, i);
    const { facts } = await readExif(fs.readFileSync(file));
    const exif: Record<string, unknown> = {};
    const date = peerDate(facts.takenAt);
    if (date) exif.date = date;
    if (facts.location) exif.location = [facts.location.lon, facts.location.lat]; // run with --extract_GPS_location
    const id = path.basename(relative, path.extname(relative)); // os.path.splitext(os.path.basename(filename))[0]
    docs.push({ image_id: id, image_name: path.basename(relative), image_embedding, relative_path: relative, exif });
    unitVectors.set(id, asUnitVector(image_embedding));
    files.set(id, file);
  }
  await createIndex(esUrl, index, "generator", docs);
  return { layout: "generator", index, docs, unitVectors, files, imageRoot };
}
