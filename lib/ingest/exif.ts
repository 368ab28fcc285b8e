/** Reads capture time, GPS position and camera from EXIF with exifr. Bad or missing values are dropped, never thrown. */
import exifr from "exifr";
import type { GeoPoint } from "@/lib/store/types";

export interface ExifFacts {
  takenAt?: string;
  location?: GeoPoint;
  camera?: string;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/**
 * EXIF dates carry no time zone (OffsetTimeOriginal is rare), so the wall-clock time is kept as
 * written and stored as if UTC: a photo taken at 16:28 shows 16:28 wherever the server runs.
 */
export function parseExifDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1).map(Number);
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second)).toISOString();
}

function validPoint(lat: unknown, lon: unknown): GeoPoint | undefined {
  if (typeof lat !== "number" || typeof lon !== "number" || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return undefined; // 0,0 is a GPS "no fix"
  return { lat, lon };
}

function cameraName(make: unknown, model: unknown): string | undefined {
  const mk = typeof make === "string" ? make.trim() : "";
  const md = typeof model === "string" ? model.trim() : "";
  if (!md) return mk || undefined;
  // Models often repeat the make ("Canon Canon EOS 5D"); keep it once.
  return mk && !md.toLowerCase().startsWith(mk.toLowerCase().split(" ")[0] ?? "") ? `${mk} ${md}` : md;
}

export async function readExif(buffer: Buffer): Promise<ExifFacts> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(buffer, { tiff: true, exif: true, gps: true, xmp: false, icc: false, iptc: false, reviveValues: false });
  } catch {
    return {}; // malformed EXIF: the photo is still indexed, without these facts
  }
  if (!tags) return {};
  const facts: ExifFacts = {};
  const takenAt = parseExifDate(tags.DateTimeOriginal) ?? parseExifDate(tags.CreateDate) ?? parseExifDate(tags.ModifyDate);
  if (takenAt) facts.takenAt = takenAt;
  const location = validPoint(tags.latitude, tags.longitude);
  if (location) facts.location = location;
  const camera = cameraName(tags.Make, tags.Model);
  if (camera) facts.camera = camera;
  return facts;
}
