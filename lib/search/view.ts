/** What the API returns for a photo: no server paths, and the URLs to fetch its images. */
import type { Hit, Photo } from "@/lib/store/types";

export interface PhotoView extends Omit<Photo, "root"> {
  thumbnailUrl: string;
  originalUrl: string;
}

export function photoView(photo: Photo): PhotoView {
  const { root: _root, ...rest } = photo;
  return {
    ...rest,
    thumbnailUrl: photo.url && !photo.path ? photo.url : `/api/photos/${photo.id}/thumbnail`,
    originalUrl: photo.url ?? `/api/photos/${photo.id}/original`,
  };
}

export function hitView(hit: Hit) {
  return { id: hit.photo.id, score: Math.round(hit.score * 1e6) / 1e6, photo: photoView(hit.photo) };
}
