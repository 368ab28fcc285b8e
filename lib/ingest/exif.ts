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
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
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

const EXIF_OPTIONS = { tiff: true, exif: true, gps: true, xmp: false, icc: false, iptc: false, reviveValues: false };

async function parseTags(buffer: Buffer): Promise<Record<string, unknown> | undefined> {
  const tags = (await exifr.parse(buffer, EXIF_OPTIONS).catch(() => undefined)) as Record<string, unknown> | undefined;
  if (tags && !tags.errors) return tags;
  const heifExif = exifBlockOfHeif(buffer);
  return heifExif ? ((await exifr.parse(heifExif, EXIF_OPTIONS).catch(() => undefined)) as Record<string, unknown> | undefined) : tags;
}

/**
 * The EXIF (a TIFF block after "Exif\0\0") inside a HEIF file. exifr reads the HEIF container but
 * rejects the Exif item some encoders write (libheif's, through pillow-heif: "Malformed EXIF data");
 * the block itself is ordinary TIFF, which exifr reads.
 */
function exifBlockOfHeif(buffer: Buffer): Buffer | undefined {
  if (buffer.toString("latin1", 4, 8) !== "ftyp") return undefined;
  for (let at = buffer.indexOf("Exif\0\0", 0, "latin1"); at >= 0; at = buffer.indexOf("Exif\0\0", at + 1, "latin1")) {
    const header = buffer.toString("latin1", at + 6, at + 10);
    if (header === "II*\0" || header === "MM\0*") return buffer.subarray(at + 6);
  }
  return undefined;
}

/** The first photograph was taken in 1826 or 1827; a camera whose clock was never set says 1900 or 2999. */
const FIRST_PHOTO_MS = Date.UTC(1826, 0, 1);

/** Why a capture date cannot be true, or undefined when it can: before 1826, or after tomorrow. */
export function implausibleDate(iso: string, now = new Date()): string | undefined {
  const ms = Date.parse(iso);
  const endOfTomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2);
  if (ms < FIRST_PHOTO_MS) return "before 1826";
  if (ms >= endOfTomorrow) return "after tomorrow";
  return undefined;
}

export interface ExifReading {
  facts: ExifFacts;
  /** What was read but not believed, such as a capture date in 2999. */
  warnings: string[];
}

export async function readExif(buffer: Buffer, now = new Date()): Promise<ExifReading> {
  // Malformed EXIF is dropped: the photo is still indexed, without these facts.
  const tags = await parseTags(buffer);
  const facts: ExifFacts = {};
  const warnings: string[] = [];
  if (!tags) return { facts, warnings };
  const takenAt = parseExifDate(tags.DateTimeOriginal) ?? parseExifDate(tags.CreateDate) ?? parseExifDate(tags.ModifyDate);
  const implausible = takenAt && implausibleDate(takenAt, now);
  // An implausible date would pin the photo to the top (or bottom) of "newest first" forever.
  if (implausible) warnings.push(`capture date ${takenAt!.slice(0, 10)} is ${implausible}: stored as unknown`);
  else if (takenAt) facts.takenAt = takenAt;
  const location = validPoint(tags.latitude, tags.longitude);
  if (location) facts.location = location;
  const camera = cameraName(tags.Make, tags.Model);
  if (camera) facts.camera = camera;
  return { facts, warnings };
}
