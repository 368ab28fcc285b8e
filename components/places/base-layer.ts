/**
 * The map's base layer: real tiles when MAP_TILE_URL is set, else country outlines from Natural
 * Earth (world-atlas, 1:110m, shipped with the app), so the map works with no network at all.
 */
import L from "leaflet";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries from "world-atlas/countries-110m.json";

export interface MapTiles {
  tileUrl?: string;
  attribution: string;
}

let outlines: GeoJSON.FeatureCollection | undefined;

function countryOutlines(): GeoJSON.FeatureCollection {
  const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
  outlines ??= feature(topology, topology.objects.countries) as GeoJSON.FeatureCollection;
  return outlines;
}

export function addBaseLayer(map: L.Map, tiles: MapTiles): void {
  if (tiles.tileUrl) {
    L.tileLayer(tiles.tileUrl, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
    return;
  }
  map.getContainer().classList.add("map-sea");
  L.geoJSON(countryOutlines(), { style: { className: "map-country" }, interactive: false }).addTo(map);
  // A map made without an attribution control (a small static map may be) has none to add to.
  map.attributionControl?.addAttribution("Natural Earth");
}
