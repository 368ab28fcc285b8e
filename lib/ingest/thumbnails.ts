/** Thumbnails live in DATA_DIR/thumbnails/<first two hex chars>/<id>.webp, written once. */
import fs from "node:fs";
import path from "node:path";

/** Whether an id is a content hash, as ingest gives (other indices have ids of their own). */
export function isContentId(id: string): boolean {
  return /^[0-9a-f]{16,64}$/.test(id);
}

export function thumbnailPath(dataDir: string, id: string): string {
  if (!isContentId(id)) throw new Error(`not a photo id: ${id}`);
  return path.join(dataDir, "thumbnails", id.slice(0, 2), `${id}.webp`);
}

export function hasThumbnail(dataDir: string, id: string): boolean {
  return fs.existsSync(thumbnailPath(dataDir, id));
}

/** Writes through a temporary file and a rename, so a reader never sees half a thumbnail. */
export function writeThumbnail(dataDir: string, id: string, webp: Buffer): void {
  const target = thumbnailPath(dataDir, id);
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, webp);
  fs.renameSync(temporary, target);
}
