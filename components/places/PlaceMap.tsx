"use client";
/**
 * The map view (Leaflet): clusters of the library's photos (from /api/places, geotile grid in the
 * store) or of the current results (grouped here by the same tiles), each with a count and a photo.
 * Panning or zooming with "search this area" on restricts the current query (meaning, words, both or
 * an image) to the visible area; drawing a box (the "Draw a box" button, or Shift + drag) restricts
 * it to that box instead, and drawing a circle to that circle. A box goes into the URL as `box`, a
 * circle as `near` (the radius filter typed places use too); results and map follow.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import type { Messages } from "@/lib/i18n/messages";
import { placeLabel, type PlaceLanguage } from "@/lib/places/labels";
import type { ApiHit } from "@/lib/search/client";
import type { Filters } from "@/lib/search/request";
import { tileKey } from "@/lib/store/geotile";
import type { PlaceCluster } from "@/lib/store/types";
import { addBaseLayer, type MapTiles } from "./base-layer";
import { useDrawArea, type DrawShape } from "./use-draw-area";

type Box = NonNullable<Filters["box"]>;
type Near = NonNullable<Filters["near"]>;
/** What the map changes in the filters: the area (`box`), the circle (`near`), or both. */
export type AreaChange = { box?: Box; near?: Near };

export interface PlaceMapProps {
  /** The area in the URL, if any: the map opens on it. */
  box?: Box;
  /** The circle in the URL (a drawn or typed radius), if any: outlined, and the map opens on it when there is no box. */
  near?: Near;
  /** The filters other than the area, for the library's clusters. */
  filters: Filters;
  /** Results of the current query; undefined when browsing the library. */
  hits?: ApiHit[];
  tiles: MapTiles;
  t: Messages;
  lang: PlaceLanguage;
  /** Called with the filters to replace: `{ box }` when the area follows the map, both keys for a drawn shape. */
  onArea: (change: AreaChange) => void;
}

/** Clusters are a little finer than the map's zoom, so a city's photos split into neighbourhoods. */
const CLUSTER_ZOOM_OFFSET = 3;
const MAX_CLUSTER_ZOOM = 20;

export default function PlaceMap({ box, near, filters, hits, tiles, t, lang, onArea }: PlaceMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map>(null);
  const [leaflet, setLeaflet] = useState<L.Map | null>(null);
  const [drawing, setDrawing] = useState<DrawShape>();
  const markers = useRef<L.LayerGroup>(null);
  const [view, setView] = useState<{ zoom: number; bounds: Box }>();
  const [libraryClusters, setLibraryClusters] = useState<PlaceCluster[]>([]);
  // A circle without a box (drawn, or typed) is the area: panning does not replace it with the map's.
  const [followArea, setFollowArea] = useState(!near || Boolean(box));
  const follow = useRef(followArea);
  const report = useRef(onArea);
  useEffect(() => {
    follow.current = followArea;
    report.current = onArea;
  }, [followArea, onArea]);

  // The map is made once; the area it opens on comes from the URL.
  useEffect(() => {
    if (!container.current || map.current) return;
    const created = L.map(container.current, { worldCopyJump: true, minZoom: 1, maxZoom: tiles.tileUrl ? 19 : 12 });
    addBaseLayer(created, tiles);
    if (box) created.fitBounds(L.latLngBounds([box.bottom, box.left], [box.top, box.right]));
    else if (near) created.fitBounds(L.latLng(near.lat, near.lon).toBounds(near.radiusKm * 2000));
    else created.setView([25, 10], 2);
    markers.current = L.layerGroup().addTo(created);
    let userMoved = false;
    const settle = () => {
      const area = boxOf(created);
      setView({ zoom: created.getZoom(), bounds: area ?? WORLD });
      if (userMoved && follow.current) report.current({ box: area });
    };
    created.on("movestart", () => (userMoved = true));
    created.on("moveend", settle);
    setView({ zoom: created.getZoom(), bounds: boxOf(created) ?? WORLD });
    map.current = created;
    setLeaflet(created);
    return () => {
      created.remove();
      map.current = null;
      setLeaflet(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- made once; later areas come from the map itself
  }, []);

  // A drawn box or circle is the area until the user asks for the map's area again (the checkbox);
  // either replaces the other.
  useDrawArea(leaflet, drawing, (drawn) => {
    setDrawing(undefined);
    setFollowArea(false);
    follow.current = false;
    report.current(drawn.shape === "box" ? { box: drawn.box, near: undefined } : { near: drawn.circle, box: undefined });
  });
  useEffect(() => {
    if (!leaflet || followArea || !box) return;
    const outline = L.rectangle(
      [
        [box.bottom, box.left],
        [box.top, box.right],
      ],
      { className: "map-drawn-box", interactive: false },
    ).addTo(leaflet);
    return () => void outline.remove();
  }, [leaflet, followArea, box]);
  // The circle (`near`) is outlined whenever the search has one, drawn or typed.
  const [nearLat, nearLon, nearKm] = near ? [near.lat, near.lon, near.radiusKm] : [];
  useEffect(() => {
    if (!leaflet || nearLat === undefined || nearLon === undefined || nearKm === undefined) return;
    const outline = L.circle([nearLat, nearLon], { radius: nearKm * 1000, className: "map-drawn-circle", interactive: false });
    outline.addTo(leaflet);
    return () => void outline.remove();
  }, [leaflet, nearLat, nearLon, nearKm]);

  // The library's clusters, when browsing: asked of the store for the visible area.
  const filterKey = JSON.stringify({ ...filters, box: undefined });
  useEffect(() => {
    if (hits || !view) return;
    const zoom = Math.min(MAX_CLUSTER_ZOOM, Math.round(view.zoom) + CLUSTER_ZOOM_OFFSET);
    const params = new URLSearchParams({ zoom: String(zoom), box: boxParam(view.bounds) });
    const rest = JSON.parse(filterKey) as Filters;
    for (const name of ["from", "to", "folder", "country"] as const) if (rest[name]) params.set(name, rest[name]!);
    if (rest.near) params.set("near", `${rest.near.lat},${rest.near.lon},${rest.near.radiusKm}`);
    const controller = new AbortController();
    fetch(`/api/places?${params}`, { signal: controller.signal })
      .then((response) => (response.ok ? response.json() : { clusters: [] }))
      .then((body: { clusters: PlaceCluster[] }) => setLibraryClusters(body.clusters))
      .catch(() => undefined);
    return () => controller.abort();
  }, [hits, view, filterKey]);

  // The results' clusters, when searching: the loaded hits grouped by the same tiles.
  const zoom = view?.zoom;
  const clusters = useMemo(
    () => (hits ? clustersOfHits(hits, Math.min(MAX_CLUSTER_ZOOM, Math.round(zoom ?? 2) + CLUSTER_ZOOM_OFFSET)) : libraryClusters),
    [hits, zoom, libraryClusters],
  );

  useEffect(() => {
    const layer = markers.current;
    if (!layer) return;
    layer.clearLayers();
    for (const cluster of clusters) {
      const label = cluster.place ? placeLabel(cluster.place, lang) : `${cluster.lat.toFixed(3)}, ${cluster.lon.toFixed(3)}`;
      const marker = L.marker([cluster.lat, cluster.lon], { icon: clusterIcon(cluster), title: `${label} (${cluster.count})` });
      marker.on("click", () =>
        map.current?.setView([cluster.lat, cluster.lon], Math.min(map.current.getMaxZoom(), map.current.getZoom() + 3)),
      );
      layer.addLayer(marker);
    }
  }, [clusters, lang]);

  return (
    <section className="mb-4" data-testid="place-map" aria-label={t.map}>
      <div ref={container} className="h-72 w-full overflow-hidden rounded-lg border border-neutral-200 sm:h-96 dark:border-neutral-800" />
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1">
        <label className="flex min-h-11 items-center gap-2 text-sm text-neutral-600 dark:text-neutral-400">
          <input
            type="checkbox"
            checked={followArea}
            data-testid="map-follow"
            onChange={(e) => {
              setFollowArea(e.target.checked);
              if (map.current) onArea({ box: e.target.checked ? boxOf(map.current) : undefined });
            }}
          />
          {t.searchThisArea}
        </label>
        <DrawButton shape="box" label={t.drawArea} hint={t.drawAreaHint} drawing={drawing} onDraw={setDrawing} />
        <DrawButton shape="circle" label={t.drawCircle} hint={t.drawCircleHint} drawing={drawing} onDraw={setDrawing} />
        {drawing && (
          <span className="text-sm text-neutral-600 dark:text-neutral-400">{drawing === "box" ? t.drawAreaHint : t.drawCircleHint}</span>
        )}
      </div>
    </section>
  );
}

/** Turns one drawing mode on or off (pressing the other's button switches to it). */
function DrawButton(props: { shape: DrawShape; label: string; hint: string; drawing?: DrawShape; onDraw: (shape?: DrawShape) => void }) {
  const pressed = props.drawing === props.shape;
  return (
    <button
      type="button"
      aria-pressed={pressed}
      title={props.hint}
      data-testid={props.shape === "box" ? "map-draw" : "map-draw-circle"}
      onClick={() => props.onDraw(pressed ? undefined : props.shape)}
      className="min-h-11 rounded-md border border-neutral-300 px-2.5 text-sm hover:bg-neutral-100 aria-pressed:border-sky-600 aria-pressed:bg-sky-50 dark:border-neutral-700 dark:hover:bg-neutral-800 dark:aria-pressed:bg-sky-950"
    >
      {props.label}
    </button>
  );
}

const WORLD: Box = { top: 90, left: -180, bottom: -90, right: 180 };

/** The visible area as a box, or undefined when the whole world is in view. */
function boxOf(map: L.Map): Box | undefined {
  const bounds = map.getBounds();
  const west = bounds.getWest();
  const east = bounds.getEast();
  if (east - west >= 360) return undefined;
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));
  const top = clampLat(bounds.getNorth());
  const bottom = clampLat(bounds.getSouth());
  if (top - bottom >= 170 && east - west >= 300) return undefined;
  // A box whose west edge is east of its east edge crosses the antimeridian; both stores read it so.
  return { top, left: wrap(west), bottom, right: wrap(east) };
}

function boxParam(box: Box): string {
  return [box.top, box.left, box.bottom, box.right].map((v) => Math.round(v * 1e5) / 1e5).join(",");
}

function clustersOfHits(hits: ApiHit[], zoom: number): PlaceCluster[] {
  const tiles = new Map<string, PlaceCluster & { sumLat: number; sumLon: number }>();
  for (const { photo } of hits) {
    if (!photo.location) continue;
    const key = tileKey(photo.location.lat, photo.location.lon, zoom);
    const tile = tiles.get(key);
    if (tile) {
      tile.count++;
      tile.sumLat += photo.location.lat;
      tile.sumLon += photo.location.lon;
    } else {
      // The best-ranked hit of a tile is its face.
      const { lat, lon } = photo.location;
      tiles.set(key, { lat, lon, sumLat: lat, sumLon: lon, count: 1, photoId: photo.id, ...(photo.place ? { place: photo.place } : {}) });
    }
  }
  return [...tiles.values()].map(({ sumLat, sumLon, ...cluster }) => ({
    ...cluster,
    lat: sumLat / cluster.count,
    lon: sumLon / cluster.count,
  }));
}

function clusterIcon(cluster: PlaceCluster): L.DivIcon {
  const thumb = cluster.photoId
    ? `<img src="/api/photos/${encodeURIComponent(cluster.photoId)}/thumbnail" alt="" class="h-full w-full rounded-full object-cover" />`
    : "";
  return L.divIcon({
    className: "map-cluster",
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    html: `<div data-testid="map-cluster" data-count="${cluster.count}" class="relative h-11 w-11 rounded-full border-2 border-white bg-sky-600 shadow-md dark:border-neutral-900">${thumb}<span class="absolute -top-1 -right-2 rounded-full bg-sky-700 px-1.5 text-xs font-semibold text-white shadow">${cluster.count}</span></div>`,
  });
}
