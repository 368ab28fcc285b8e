/**
 * Thumbnails live in DATA_DIR/thumbnails/<first two hex chars>/<id>.webp, written once by ingest
 * (THUMBNAIL_SIZE on the long side, 480 px). Smaller renditions for phones (a 120 px row shows a
 * 3:2 photo 180 px wide) are made from it on first request and kept beside it as <id>.<size>.webp.
 */
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

/** The long sides of the smaller renditions the thumbnail route serves (`?size=`), besides the thumbnail itself. */
export const THUMBNAIL_RENDITIONS = [320] as const;
export type ThumbnailRendition = (typeof THUMBNAIL_RENDITIONS)[number];

export function renditionPath(dataDir: string, id: string, size: ThumbnailRendition): string {
  return thumbnailPath(dataDir, id).replace(/\.webp$/, `.${size}.webp`);
}

/** The thumbnail and its renditions, for removal. */
export function thumbnailFiles(dataDir: string, id: string): string[] {
  return [thumbnailPath(dataDir, id), ...THUMBNAIL_RENDITIONS.map((size) => renditionPath(dataDir, id, size))];
}

export function hasThumbnail(dataDir: string, id: string): boolean {
  return fs.existsSync(thumbnailPath(dataDir, id));
}

/** Writes through a temporary file and a rename, so a reader never sees half a thumbnail. */
export function writeThumbnail(dataDir: string, id: string, webp: Buffer, target = thumbnailPath(dataDir, id)): void {
  // turbopackIgnore: a path in DATA_DIR, known only at run time (see files.ts).
  if (fs.existsSync(/* turbopackIgnore: true */ target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, webp);
  fs.renameSync(temporary, target);
}
