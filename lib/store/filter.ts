/**
 * Filter semantics shared by both stores, so a date or a radius means the same on each:
 * - dates are inclusive; a date without a time covers its whole day (UTC wall-clock, like EXIF);
 * - `near` is a great-circle radius in km; `box` is a lat/lon rectangle;
 * - `folder` matches the folder and everything below it.
 */
import { badRequest } from "@/lib/errors";
import type { SearchFilter } from "@/lib/store/types";

export interface NormalizedFilter {
  fromMs?: number;
  toMs?: number;
  near?: { lat: number; lon: number; radiusKm: number };
  box?: { top: number; left: number; bottom: number; right: number };
  folder?: string;
  country?: string;
  excludeIds: string[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function parseTime(value: string, endOfDay: boolean, name: string): number {
  const isDateOnly = DATE_ONLY.test(value);
  const ms = Date.parse(isDateOnly ? `${value}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO date such as 2024-05-01`);
  return isDateOnly && endOfDay ? ms + DAY_MS - 1 : ms;
}

export function normalizeFilter(filter: SearchFilter | undefined): NormalizedFilter {
  const f = filter ?? {};
  const out: NormalizedFilter = { excludeIds: f.excludeIds ?? [] };
  if (f.takenAfter) out.fromMs = parseTime(f.takenAfter, false, "takenAfter");
  if (f.takenBefore) out.toMs = parseTime(f.takenBefore, true, "takenBefore");
  if (f.near) {
    const { lat, lon, radiusKm } = f.near;
    checkLatLon(lat, lon);
    if (!(radiusKm > 0)) throw badRequest("near.radiusKm must be a positive number");
    out.near = { lat, lon, radiusKm };
  }
  if (f.box) {
    const { top, left, bottom, right } = f.box;
    checkLatLon(top, left);
    checkLatLon(bottom, right);
    if (top < bottom) throw badRequest("box.top must be north of box.bottom");
    out.box = { top, left, bottom, right };
  }
  if (f.folder) out.folder = f.folder.replace(/\/+$/, "");
  if (f.country) {
    if (!/^[A-Za-z]{2}$/.test(f.country)) throw badRequest("country must be a two-letter ISO 3166-1 code such as IT");
    out.country = f.country.toUpperCase();
  }
  return out;
}

function checkLatLon(lat: number, lon: number): void {
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
    throw badRequest("coordinates must be latitude -90..90 and longitude -180..180");
  }
}

export function isEmptyFilter(f: NormalizedFilter): boolean {
  return f.fromMs === undefined && f.toMs === undefined && !f.near && !f.box && !f.folder && !f.country && f.excludeIds.length === 0;
}

const EARTH_RADIUS_KM = 6371.0088;

export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Whether a point lies within `radiusKm` of the centre; an unknown position (NaN) never does. The
 * latitudes alone answer most rows: the great-circle distance is never less than the arc between the
 * two parallels, so a point beyond that band is outside without the trigonometry of distanceKm.
 */
export function withinRadius(centreLat: number, centreLon: number, radiusKm: number, lat: number, lon: number): boolean {
  if (!(Math.abs(lat - centreLat) * (Math.PI / 180) * EARTH_RADIUS_KM <= radiusKm)) return false;
  return distanceKm(centreLat, centreLon, lat, lon) <= radiusKm;
}

export function inBox(lat: number, lon: number, box: NonNullable<NormalizedFilter["box"]>): boolean {
  if (lat > box.top || lat < box.bottom) return false;
  // A box whose left edge is east of its right edge crosses the antimeridian.
  return box.left <= box.right ? lon >= box.left && lon <= box.right : lon >= box.left || lon <= box.right;
}

export function inFolder(folder: string, wanted: string): boolean {
  return folder === wanted || folder.startsWith(`${wanted}/`);
}
