/** Mapping between SQLite rows and domain photos; the only place that knows column names. */
import { placeSearchNames } from "@/lib/places/names";
import type { Photo, PhotoRecord } from "@/lib/store/types";
import { pathWords } from "@/lib/store/searchable-text";
import { toBuffer } from "@/lib/vector";
import { toIndexText } from "./fulltext";

export interface PhotoRow {
  id: string;
  root: string;
  path: string;
  folder: string;
  name: string;
  width: number;
  height: number;
  bytes: number;
  mime: string;
  taken_at: string | null;
  taken_at_ms: number | null;
  lat: number | null;
  lon: number | null;
  place_city: string | null;
  place_region: string | null;
  place_country_code: string | null;
  place_country: string | null;
  camera: string | null;
  caption: string | null;
  tags: string;
  extra: string;
  url: string | null;
  copies: string | null;
  indexed_at: string;
}

export const PHOTO_COLUMNS =
  "id, root, path, folder, name, width, height, bytes, mime, taken_at, taken_at_ms, lat, lon, place_city, place_region, place_country_code, place_country, camera, caption, tags, extra, url, copies, indexed_at";

export function rowToPhoto(row: PhotoRow): Photo {
  const photo: Photo = {
    id: row.id,
    root: row.root,
    path: row.path,
    folder: row.folder,
    name: row.name,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    mime: row.mime,
    tags: JSON.parse(row.tags) as string[],
    extra: JSON.parse(row.extra) as Record<string, string>,
    indexedAt: row.indexed_at,
  };
  if (row.taken_at) photo.takenAt = row.taken_at;
  if (row.lat !== null && row.lon !== null) photo.location = { lat: row.lat, lon: row.lon };
  if (row.place_country_code && row.place_country) {
    photo.place = { countryCode: row.place_country_code, country: row.place_country };
    if (row.place_city) photo.place.city = row.place_city;
    if (row.place_region) photo.place.region = row.place_region;
  }
  if (row.camera) photo.camera = row.camera;
  if (row.caption) photo.caption = row.caption;
  if (row.url) photo.url = row.url;
  if (row.copies) photo.copies = JSON.parse(row.copies) as Photo["copies"];
  return photo;
}

export function recordToRow(record: PhotoRecord, seq: number) {
  const takenAtMs = record.takenAt ? Date.parse(record.takenAt) : Number.NaN;
  return {
    id: record.id,
    seq,
    root: record.root,
    path: record.path,
    folder: record.folder,
    name: record.name,
    width: record.width,
    height: record.height,
    bytes: record.bytes,
    mime: record.mime,
    taken_at: record.takenAt ?? null,
    taken_at_ms: Number.isNaN(takenAtMs) ? null : takenAtMs,
    lat: record.location?.lat ?? null,
    lon: record.location?.lon ?? null,
    place_city: record.place?.city ?? null,
    place_region: record.place?.region ?? null,
    place_country_code: record.place?.countryCode ?? null,
    place_country: record.place?.country ?? null,
    camera: record.camera ?? null,
    caption: record.caption ?? null,
    tags: JSON.stringify(record.tags),
    extra: JSON.stringify(record.extra),
    url: record.url ?? null,
    copies: record.copies?.length ? JSON.stringify(record.copies) : null,
    indexed_at: record.indexedAt,
    vector: toBuffer(record.vector),
  };
}

/** The text columns of the FTS table, CJK split per character. */
export function ftsColumns(record: Photo) {
  return {
    name: toIndexText(pathWords(record.name)),
    folder: toIndexText(pathWords(record.folder)),
    caption: toIndexText(record.caption ?? ""),
    tags: toIndexText(record.tags.join(" ")),
    extra: toIndexText(Object.values(record.extra).join(" ")),
    place: toIndexText(record.place ? placeSearchNames(record.place).join(" ") : ""),
  };
}
