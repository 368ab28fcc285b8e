/** Photo lookups for the routes: metadata, thumbnail and original, each a 404 when unknown. */
import { appContext } from "@/lib/context";
import fs from "node:fs";
import { badRequest, notFound } from "@/lib/errors";
import { checkPhotoId, fileResponse, ingestedThumbnail, originalFile } from "@/lib/files/photo-files";
import { thumbnailRendition } from "@/lib/ingest/image";
import { isContentId, renditionPath, THUMBNAIL_RENDITIONS, writeThumbnail, type ThumbnailRendition } from "@/lib/ingest/thumbnails";
import type { Photo } from "@/lib/store/types";
import { removePhotos } from "@/lib/ingest/remove";
import { photoView } from "./view";

async function requirePhoto(id: string): Promise<Photo> {
  const photo = await appContext().store.get(checkPhotoId(id));
  if (!photo) throw notFound(`no photo with id ${id}`);
  return photo;
}

export async function photoMetadata(id: string) {
  return photoView(await requirePhoto(id));
}

/**
 * A photo's thumbnail: the one ingest wrote, or, for a photo ingest never saw (an index made
 * elsewhere, whose files are below ES_IMAGE_ROOT), one made from the original on first request and
 * cached. `size` asks for a smaller rendition for small screens, made from ingest's thumbnail on
 * first request and kept beside it; photos without one of ingest's answer with their thumbnail.
 */
export async function photoThumbnail(id: string, size?: string | null): Promise<Response> {
  const rendition = size ? parseRendition(size) : undefined;
  const photo = await requirePhoto(id);
  if (photo.url && !photo.path) return Response.redirect(photo.url, 302);
  const { cfg, thumbnails } = appContext();
  const ingested = ingestedThumbnail(cfg.dataDir, photo);
  if (ingested && rendition) return fileResponse(await renditionFile(cfg.dataDir, photo.id, ingested, rendition), "image/webp");
  if (ingested) return fileResponse(ingested, "image/webp");
  return fileResponse(await thumbnails.fileFor(await originalFile(photo)), "image/webp", { immutable: isContentId(photo.id) });
}

function parseRendition(size: string): ThumbnailRendition {
  const rendition = THUMBNAIL_RENDITIONS.find((r) => String(r) === size);
  if (!rendition) throw badRequest(`size must be one of ${THUMBNAIL_RENDITIONS.join(", ")} (or left out for the thumbnail)`);
  return rendition;
}

/** The rendition's file, made from the thumbnail if it is not there yet (written once, atomically). */
async function renditionFile(dataDir: string, id: string, thumbnail: string, size: ThumbnailRendition): Promise<string> {
  const file = renditionPath(dataDir, id, size);
  if (!fs.existsSync(file)) writeThumbnail(dataDir, id, await thumbnailRendition(await fs.promises.readFile(thumbnail), size), file);
  return file;
}

export async function photoOriginal(id: string): Promise<Response> {
  const photo = await requirePhoto(id);
  if (photo.url && !photo.path) return Response.redirect(photo.url, 302);
  // Only the app's own ids are content hashes; another index's id may come to name other bytes.
  return fileResponse(await originalFile(photo), photo.mime, { immutable: isContentId(photo.id) });
}

/** Removes a photo, its thumbnail and (for uploads) its file; 404 when unknown. */
export async function deletePhoto(id: string) {
  const photo = await requirePhoto(id);
  const { removed } = await removePhotos(appContext(), [photo.id]);
  return { removed: removed.map((p) => p.id) };
}
