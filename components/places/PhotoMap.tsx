"use client";
/** A small map of where a photo was taken, for the photo view: the same base layer, one marker, no panning. */
import { useEffect, useRef } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { addBaseLayer, type MapTiles } from "./base-layer";

export default function PhotoMap({ lat, lon, tiles, label }: { lat: number; lon: number; tiles: MapTiles; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, {
      zoomControl: false,
      dragging: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      touchZoom: false,
      // Kept on every map: tile providers require their credit, and addBaseLayer writes into it.
      attributionControl: true,
    });
    addBaseLayer(map, tiles);
    map.setView([lat, lon], tiles.tileUrl ? 12 : 5);
    L.circleMarker([lat, lon], { radius: 6, color: "#0284c7", fillColor: "#38bdf8", fillOpacity: 1, weight: 2 }).addTo(map);
    return () => {
      map.remove();
    };
  }, [lat, lon, tiles]);
  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="photo-map"
      className="mt-3 mb-4 h-36 w-full overflow-hidden rounded-md"
    />
  );
}
