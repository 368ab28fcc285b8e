"use client";
/**
 * Drawing an area on a Leaflet map with a pointer (mouse, pen or finger), one gesture for both
 * shapes: press, drag, lift. In "box" mode (or with Shift held) the drag spans a rectangle's
 * corners; in "circle" mode it goes from the centre out to the radius. While a mode is on, a drag
 * draws instead of panning; the area is reported when the pointer lifts. Pointer events on the
 * container (not Leaflet's mouse events) so touch draws too. Leaflet's own Shift-drag zoom
 * (boxZoom) is turned off: Shift-drag draws a box here instead.
 *
 * A small handler rather than a drawing plugin: leaflet-draw has had no release since 2018, and
 * leaflet-geoman draws with two clicks (centre, then radius) and brings its own toolbar and editing
 * modes; a press-drag-lift that works the same for both shapes and on a phone is these few lines.
 */
import { useEffect, useRef } from "react";
import L from "leaflet";

export interface DrawnBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface DrawnCircle {
  lat: number;
  lon: number;
  radiusKm: number;
}

export type DrawShape = "box" | "circle";

export type DrawnArea = { shape: "box"; box: DrawnBox } | { shape: "circle"; circle: DrawnCircle };

/** A drag shorter than this (in pixels) is a click, not an area. */
const MIN_DRAG_PX = 8;
/** The search's radius limit (half the Earth's circumference). */
const MAX_RADIUS_KM = 20_000;

export function useDrawArea(map: L.Map | null, mode: DrawShape | undefined, onDrawn: (area: DrawnArea) => void): void {
  const report = useRef(onDrawn);
  useEffect(() => {
    report.current = onDrawn;
  }, [onDrawn]);

  useEffect(() => {
    if (!map) return;
    const container = map.getContainer();
    map.boxZoom.disable();
    if (mode) map.dragging.disable();
    container.style.cursor = mode ? "crosshair" : "";
    let start: { point: L.Point; latLng: L.LatLng; pointer: number; shape: DrawShape } | undefined;
    let outline: L.Rectangle | L.Circle | undefined;
    // The click that ends a drag must not reach what it ended on (a cluster would zoom the map).
    let swallowClick = false;

    const down = (event: PointerEvent) => {
      swallowClick = false;
      const shape = mode ?? (event.shiftKey ? "box" : undefined);
      if (!shape || event.button !== 0) return;
      // Controls keep their meaning, and so do clusters unless a drawing mode is on (a circle is
      // often centred on one).
      if ((event.target as HTMLElement).closest(mode ? ".leaflet-control" : ".leaflet-marker-icon, .leaflet-control")) return;
      event.preventDefault();
      event.stopPropagation();
      map.dragging.disable();
      container.setPointerCapture(event.pointerId);
      start = { point: map.mouseEventToContainerPoint(event), latLng: map.mouseEventToLatLng(event), pointer: event.pointerId, shape };
    };
    const move = (event: PointerEvent) => {
      if (!start || event.pointerId !== start.pointer) return;
      const here = map.mouseEventToLatLng(event);
      if (start.shape === "box") {
        const bounds = L.latLngBounds(start.latLng, here);
        if (outline instanceof L.Rectangle) outline.setBounds(bounds);
        else outline = L.rectangle(bounds, { className: "map-drawn-box", interactive: false }).addTo(map);
      } else {
        const radius = map.distance(start.latLng, here);
        if (outline instanceof L.Circle) outline.setRadius(radius);
        else outline = L.circle(start.latLng, { radius, className: "map-drawn-circle", interactive: false }).addTo(map);
      }
    };
    const up = (event: PointerEvent) => {
      if (!start || event.pointerId !== start.pointer) return;
      const dragged = map.mouseEventToContainerPoint(event).distanceTo(start.point) >= MIN_DRAG_PX;
      const end = map.mouseEventToLatLng(event);
      const { latLng, shape } = start;
      start = undefined;
      outline?.remove();
      outline = undefined;
      if (!mode) map.dragging.enable();
      if (!dragged) return;
      swallowClick = true;
      if (shape === "box") report.current({ shape, box: boxOfBounds(L.latLngBounds(latLng, end)) });
      else report.current({ shape, circle: circleOf(latLng, map.distance(latLng, end) / 1000) });
    };
    const click = (event: MouseEvent) => {
      if (!swallowClick) return;
      swallowClick = false;
      event.stopPropagation();
      event.preventDefault();
    };
    container.addEventListener("pointerdown", down, { capture: true });
    container.addEventListener("click", click, { capture: true });
    container.addEventListener("pointermove", move);
    container.addEventListener("pointerup", up);
    container.addEventListener("pointercancel", up);
    return () => {
      container.removeEventListener("pointerdown", down, { capture: true });
      container.removeEventListener("click", click, { capture: true });
      container.removeEventListener("pointermove", move);
      container.removeEventListener("pointerup", up);
      container.removeEventListener("pointercancel", up);
      outline?.remove();
      container.style.cursor = "";
      map.dragging.enable();
    };
  }, [map, mode]);
}

/** Leaflet bounds as a box, longitudes wrapped into -180..180 (west > east crosses the antimeridian). */
export function boxOfBounds(bounds: L.LatLngBounds): DrawnBox {
  const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));
  return {
    top: clampLat(bounds.getNorth()),
    left: wrapLon(bounds.getWest()),
    bottom: clampLat(bounds.getSouth()),
    right: wrapLon(bounds.getEast()),
  };
}

/**
 * A drawn circle as the search's `near`: the centre wrapped into -180..180, and the radius rounded
 * as a person would say it (2.4 km, 35 km, 350 km), so the chip and the URL read well.
 */
export function circleOf(centre: L.LatLng, radiusKm: number): DrawnCircle {
  return { lat: centre.lat, lon: wrapLon(centre.lng), radiusKm: Math.min(MAX_RADIUS_KM, roundRadius(radiusKm)) };
}

/** Two significant digits: 2.4, 35, 350 (the URL keeps two decimals, so at least 0.01 km). */
function roundRadius(km: number): number {
  const exponent = Math.floor(Math.log10(Math.max(km, 0.01))) - 1;
  const rounded = exponent >= 0 ? Math.round(km / 10 ** exponent) * 10 ** exponent : Math.round(km * 10 ** -exponent) / 10 ** -exponent;
  return Math.max(0.01, rounded);
}

function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}
