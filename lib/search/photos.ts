/** Photo lookups for the routes: metadata, thumbnail and original, each a 404 when unknown. */
import { appContext } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { checkPhotoId, fileResponse, ingestedThumbnail, originalFile } from "@/lib/files/photo-files";
import { isContentId } from "@/lib/ingest/thumbnails";
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
 * The thumbnail ingest wrote, or, for a photo ingest never saw (an index made elsewhere, whose
 * files are below ES_IMAGE_ROOT), one made from the original on first request and cached.
 */
export async function photoThumbnail(id: string): Promise<Response> {
  const photo = await requirePhoto(id);
  if (photo.url && !photo.path) return Response.redirect(photo.url, 302);
  const { cfg, thumbnails } = appContext();
  const ingested = ingestedThumbnail(cfg.dataDir, photo);
  if (ingested) return fileResponse(ingested, "image/webp");
  return fileResponse(await thumbnails.fileFor(await originalFile(photo)), "image/webp", { immutable: isContentId(photo.id) });
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
