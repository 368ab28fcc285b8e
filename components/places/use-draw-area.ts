"use client";
/**
 * Drawing a box on a Leaflet map with a pointer (mouse, pen or finger): while `active`, or while
 * Shift is held, a drag draws a rectangle instead of panning, and the box is reported when the
 * pointer lifts. Pointer events on the container (not Leaflet's mouse events) so touch draws too.
 * Leaflet's own Shift-drag zoom (boxZoom) is turned off: Shift-drag draws an area here instead.
 */
import { useEffect, useRef } from "react";
import L from "leaflet";

export interface DrawnBox {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A drag shorter than this (in pixels) is a click, not a box. */
const MIN_DRAG_PX = 8;

export function useDrawBox(map: L.Map | null, active: boolean, onDrawn: (box: DrawnBox) => void): void {
  const report = useRef(onDrawn);
  useEffect(() => {
    report.current = onDrawn;
  }, [onDrawn]);

  useEffect(() => {
    if (!map) return;
    const container = map.getContainer();
    map.boxZoom.disable();
    if (active) map.dragging.disable();
    container.style.cursor = active ? "crosshair" : "";
    let start: { point: L.Point; latLng: L.LatLng; pointer: number } | undefined;
    let rectangle: L.Rectangle | undefined;

    const down = (event: PointerEvent) => {
      if (!(active || event.shiftKey) || event.button !== 0) return;
      // Clicks on markers and controls keep their meaning.
      if ((event.target as HTMLElement).closest(".leaflet-marker-icon, .leaflet-control")) return;
      event.preventDefault();
      event.stopPropagation();
      map.dragging.disable();
      container.setPointerCapture(event.pointerId);
      start = { point: map.mouseEventToContainerPoint(event), latLng: map.mouseEventToLatLng(event), pointer: event.pointerId };
    };
    const move = (event: PointerEvent) => {
      if (!start || event.pointerId !== start.pointer) return;
      const bounds = L.latLngBounds(start.latLng, map.mouseEventToLatLng(event));
      if (rectangle) rectangle.setBounds(bounds);
      else rectangle = L.rectangle(bounds, { className: "map-drawn-box", interactive: false }).addTo(map);
    };
    const up = (event: PointerEvent) => {
      if (!start || event.pointerId !== start.pointer) return;
      const dragged = map.mouseEventToContainerPoint(event).distanceTo(start.point) >= MIN_DRAG_PX;
      const bounds = L.latLngBounds(start.latLng, map.mouseEventToLatLng(event));
      start = undefined;
      rectangle?.remove();
      rectangle = undefined;
      if (!active) map.dragging.enable();
      if (dragged) report.current(boxOfBounds(bounds));
    };
    container.addEventListener("pointerdown", down, { capture: true });
    container.addEventListener("pointermove", move);
    container.addEventListener("pointerup", up);
    container.addEventListener("pointercancel", up);
    return () => {
      container.removeEventListener("pointerdown", down, { capture: true });
      container.removeEventListener("pointermove", move);
      container.removeEventListener("pointerup", up);
      container.removeEventListener("pointercancel", up);
      rectangle?.remove();
      container.style.cursor = "";
      map.dragging.enable();
    };
  }, [map, active]);
}

/** Leaflet bounds as a box, longitudes wrapped into -180..180 (west > east crosses the antimeridian). */
export function boxOfBounds(bounds: L.LatLngBounds): DrawnBox {
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));
  return {
    top: clampLat(bounds.getNorth()),
    left: wrap(bounds.getWest()),
    bottom: clampLat(bounds.getSouth()),
    right: wrap(bounds.getEast()),
  };
}
