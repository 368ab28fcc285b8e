/** Converts between photos and the documents of the app's Elasticsearch index. */
import { placeSearchNames } from "@/lib/places/names";
import { pathWords } from "@/lib/store/searchable-text";
import type { Photo, PhotoRecord } from "@/lib/store/types";
import { VECTOR_FIELD } from "./mapping";

export interface PhotoDocument {
  photo_id: string;
  root: string;
  path: string;
  folder: string;
  folder_text?: string;
  name: string;
  name_text?: string;
  width: number;
  height: number;
  bytes: number;
  mime: string;
  taken_at?: string;
  location?: { lat: number; lon: number };
  place_city?: string;
  place_region?: string;
  place_country?: string;
  place_country_code?: string;
  place_names?: string[];
  camera?: string;
  caption?: string;
  tags: string[];
  extra: Record<string, string>;
  extra_text?: string;
  url?: string;
  copies?: { root: string; path: string }[];
  indexed_at: string;
  [VECTOR_FIELD]?: number[];
}

export function toDocument(record: PhotoRecord): PhotoDocument {
  const extraText = Object.values(record.extra).join(" ");
  return {
    photo_id: record.id,
    root: record.root,
    path: record.path,
    folder: record.folder,
    folder_text: pathWords(record.folder),
    name: record.name,
    name_text: pathWords(record.name),
    width: record.width,
    height: record.height,
    bytes: record.bytes,
    mime: record.mime,
    taken_at: record.takenAt,
    location: record.location,
    place_city: record.place?.city,
    place_region: record.place?.region,
    place_country: record.place?.country,
    place_country_code: record.place?.countryCode,
    place_names: record.place ? placeSearchNames(record.place) : undefined,
    camera: record.camera,
    caption: record.caption,
    tags: record.tags,
    extra: record.extra,
    extra_text: extraText || undefined,
    url: record.url,
    copies: record.copies?.length ? record.copies : undefined,
    indexed_at: record.indexedAt,
    [VECTOR_FIELD]: Array.from(record.vector),
  };
}

export function fromDocument(doc: PhotoDocument): Photo {
  const photo: Photo = {
    id: doc.photo_id,
    root: doc.root,
    path: doc.path,
    folder: doc.folder,
    name: doc.name,
    width: doc.width,
    height: doc.height,
    bytes: doc.bytes,
    mime: doc.mime,
    tags: doc.tags ?? [],
    extra: doc.extra ?? {},
    indexedAt: doc.indexed_at,
  };
  if (doc.taken_at) photo.takenAt = doc.taken_at;
  if (doc.location) photo.location = { lat: doc.location.lat, lon: doc.location.lon };
  if (doc.place_country_code && doc.place_country) {
    photo.place = { countryCode: doc.place_country_code, country: doc.place_country };
    if (doc.place_city) photo.place.city = doc.place_city;
    if (doc.place_region) photo.place.region = doc.place_region;
  }
  if (doc.camera) photo.camera = doc.camera;
  if (doc.caption) photo.caption = doc.caption;
  if (doc.url) photo.url = doc.url;
  if (doc.copies?.length) photo.copies = doc.copies.map((c) => ({ root: c.root, path: c.path }));
  return photo;
}

/** Elasticsearch reports cosine similarity as (1 + cos) / 2; the app speaks cosine. */
export function cosineFromScore(score: number): number {
  return 2 * score - 1;
}
