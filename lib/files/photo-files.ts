/**
 * Finds a photo's files on disk. The original is served only if its real path (symlinks followed)
 * lies inside the library root it was ingested from, so a stored path can never reach elsewhere.
 */
import fs from "node:fs";
import path from "node:path";
import { notFound } from "@/lib/errors";
import { isContentId, thumbnailPath } from "@/lib/ingest/thumbnails";
import { isPhotoId } from "@/lib/store/photo-id";
import type { Photo } from "@/lib/store/types";

/** An id from a URL: anything that cannot be a photo id is simply not found. */
export function checkPhotoId(id: string): string {
  if (!isPhotoId(id)) throw notFound(`no photo with id ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.promises.realpath(p);
  } catch {
    return null;
  }
}

export async function originalFile(photo: Photo): Promise<string> {
  const missing = notFound(`the original of photo ${photo.id} is no longer on disk`);
  if (!photo.root || !photo.path || photo.path.includes("\0") || path.isAbsolute(photo.path)) throw missing;
  const root = await realpathOrNull(photo.root);
  const file = root && (await realpathOrNull(path.resolve(root, photo.path)));
  if (!root || !file || !file.startsWith(root + path.sep)) throw missing;
  return file;
}

/** The thumbnail ingest wrote for a photo, if any (photos of indices made elsewhere have none). */
export function ingestedThumbnail(dataDir: string, photo: Photo): string | undefined {
  if (!isContentId(photo.id)) return undefined;
  const file = thumbnailPath(dataDir, photo.id);
  return fs.existsSync(file) ? file : undefined;
}

/** A Response with a file; cached for good when its URL is content-addressed (the app's own ids). */
export async function fileResponse(file: string, contentType: string, { immutable = true } = {}): Promise<Response> {
  const data = await fs.promises.readFile(file);
  return new Response(new Uint8Array(data), {
    headers: {
      "content-type": contentType,
      "content-length": String(data.length),
      // Content-hash ids: the bytes behind a URL never change. Other ids: revalidate after an hour.
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
      "x-content-type-options": "nosniff",
    },
  });
}
