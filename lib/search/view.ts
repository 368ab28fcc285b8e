/** What the API returns for a photo: no server paths, and the URLs to fetch its images. */
import type { Hit, Photo } from "@/lib/store/types";
import type { SearchResult } from "./service";

export interface PhotoView extends Omit<Photo, "root"> {
  thumbnailUrl: string;
  originalUrl: string;
  /** What the photo view shows: the original, or the thumbnail when browsers cannot show the original (HEIC, TIFF). */
  displayUrl: string;
}

const NOT_SHOWN_BY_BROWSERS = new Set(["image/heic", "image/tiff"]);

export function photoView(photo: Photo): PhotoView {
  const { root: _root, ...rest } = photo;
  // Ids of indices made elsewhere may hold spaces and other characters a URL path must escape.
  const base = `/api/photos/${encodeURIComponent(photo.id)}`;
  const thumbnailUrl = photo.url && !photo.path ? photo.url : `${base}/thumbnail`;
  const originalUrl = photo.url ?? `${base}/original`;
  return { ...rest, thumbnailUrl, originalUrl, displayUrl: NOT_SHOWN_BY_BROWSERS.has(photo.mime) ? thumbnailUrl : originalUrl };
}

export function hitView(hit: Hit) {
  return { id: hit.photo.id, score: Math.round(hit.score * 1e6) / 1e6, photo: photoView(hit.photo) };
}

/** A search result as the API and the CLI print it: how it was searched (and which text model embedded the query), then the hits. */
export function resultView(result: SearchResult) {
  return {
    mode: result.mode,
    ...(result.fusion ? { fusion: result.fusion } : {}),
    ...(result.textModel ? { textModel: result.textModel } : {}),
    ...(result.language ? { language: result.language } : {}),
    tookMs: result.tookMs,
    hasMore: result.hasMore,
    hits: result.hits.map(hitView),
  };
}
