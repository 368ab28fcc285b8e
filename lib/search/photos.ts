/** Photo lookups for the routes: metadata, thumbnail and original, each a 404 when unknown. */
import { appContext } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { checkPhotoId, fileResponse, originalFile, thumbnailFile } from "@/lib/files/photo-files";
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

export async function photoThumbnail(id: string): Promise<Response> {
  const photo = await requirePhoto(id);
  if (photo.url && !photo.path) return Response.redirect(photo.url, 302);
  return fileResponse(thumbnailFile(appContext().cfg.dataDir, photo), "image/webp");
}

export async function photoOriginal(id: string): Promise<Response> {
  const photo = await requirePhoto(id);
  if (photo.url && !photo.path) return Response.redirect(photo.url, 302);
  return fileResponse(await originalFile(photo), photo.mime);
}

/** Removes a photo, its thumbnail and (for uploads) its file; 404 when unknown. */
export async function deletePhoto(id: string) {
  const photo = await requirePhoto(id);
  const { removed } = await removePhotos(appContext(), [photo.id]);
  return { removed: removed.map((p) => p.id) };
}
