/**
 * Web-mercator map tiles, as Elasticsearch's geotile_grid aggregation computes them, so both stores
 * group photos into the same places. Zoom 12 tiles are about 10 km across at mid latitudes.
 */
export const PLACE_ZOOM = 12;
const MAX_LAT = 85.05112878;

export function tileKey(lat: number, lon: number, zoom = PLACE_ZOOM): string {
  const tiles = 2 ** zoom;
  const clampedLat = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const x = Math.min(tiles - 1, Math.floor(((lon + 180) / 360) * tiles));
  const rad = (clampedLat * Math.PI) / 180;
  const y = Math.min(tiles - 1, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * tiles));
  return `${zoom}/${x}/${y}`;
}
