/** What the API returns for a photo: no server paths, and the URLs to fetch its images. */
import { THUMBNAIL_RENDITIONS } from "@/lib/ingest/thumbnails";
import type { Hit, Photo } from "@/lib/store/types";
import type { SearchResult } from "./service";

export interface PhotoView extends Omit<Photo, "root"> {
  thumbnailUrl: string;
  /** Smaller renditions of this app's thumbnails (not of remote photos), by their long side in pixels, for `srcset`. */
  thumbnailRenditions?: { size: number; url: string }[];
  originalUrl: string;
  /** What the photo view shows: the original, or the thumbnail when browsers cannot show the original (HEIC, TIFF). */
  displayUrl: string;
}

/**
 * Stored text as text, whatever a store or an older ingest left there: an object where a tag
 * belongs (`tags: [{"a":1}]`) is shown as its JSON instead of crashing the photo view.
 */
function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function safeText(photo: Photo): Pick<Photo, "caption" | "tags" | "extra"> {
  const tags = (Array.isArray(photo.tags) ? photo.tags : []).map(asText).filter((tag): tag is string => Boolean(tag));
  const extra = Object.fromEntries(
    Object.entries(typeof photo.extra === "object" && photo.extra !== null ? photo.extra : {}).flatMap(([key, value]) => {
      const text = asText(value);
      return text === undefined ? [] : [[key, text]];
    }),
  );
  return { caption: asText(photo.caption), tags: [...new Set(tags)], extra };
}

const NOT_SHOWN_BY_BROWSERS = new Set(["image/heic", "image/tiff"]);

export function photoView(photo: Photo): PhotoView {
  const { root: _root, ...rest } = photo;
  // Ids of indices made elsewhere may hold spaces and other characters a URL path must escape.
  const base = `/api/photos/${encodeURIComponent(photo.id)}`;
  const thumbnailUrl = photo.url && !photo.path ? photo.url : `${base}/thumbnail`;
  const originalUrl = photo.url ?? `${base}/original`;
  return {
    ...rest,
    ...safeText(photo),
    thumbnailUrl,
    ...(thumbnailUrl === `${base}/thumbnail`
      ? { thumbnailRenditions: THUMBNAIL_RENDITIONS.map((size) => ({ size, url: `${thumbnailUrl}?size=${size}` })) }
      : {}),
    originalUrl,
    displayUrl: NOT_SHOWN_BY_BROWSERS.has(photo.mime) ? thumbnailUrl : originalUrl,
  };
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
    ...(result.query ? { query: result.query } : {}),
    ...(result.relevant !== undefined ? { relevant: result.relevant, lessRelevant: result.lessRelevant ?? 0 } : {}),
    hasMore: result.hasMore,
    hits: result.hits.map(hitView),
  };
}
