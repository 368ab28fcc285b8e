"use client";
/**
 * Touch (and mouse) gestures on the photo view's image: swipe left/right to move between photos,
 * pinch to zoom, double-tap to zoom in or out, drag to pan a zoomed photo. Pointer events, so one
 * code path serves fingers, pens and mice; the image area sets touch-action: none.
 */
import { useCallback, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";

export interface Transform {
  scale: number;
  x: number;
  y: number;
}

const IDENTITY: Transform = { scale: 1, x: 0, y: 0 };
const MAX_SCALE = 4;
const DOUBLE_TAP_SCALE = 2.5;
const SWIPE_PX = 50;
const TAP_PX = 10;
const DOUBLE_TAP_MS = 300;

interface Point {
  x: number;
  y: number;
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

export function usePhotoGestures(onSwipe: (direction: "next" | "previous") => void) {
  const [transform, setState] = useState<Transform>(IDENTITY);
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<{ start: Point; startTime: number; base: Transform; pinch?: { distance: number; scale: number }; multi: boolean }>(
    undefined,
  );
  const lastTap = useRef<{ at: number; point: Point } | undefined>(undefined);
  // The transform as of the last event, for handlers that run before React re-renders.
  const current = useRef<Transform>(IDENTITY);
  const setTransform = useCallback((next: Transform) => {
    current.current = next;
    setState(next);
  }, []);

  const reset = useCallback(() => setTransform(IDENTITY), [setTransform]);

  const onPointerDown = (event: ReactPointerEvent<HTMLElement>) => {
    event.currentTarget.setPointerCapture?.(event.pointerId);
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const points = Array.from(pointers.current.values());
    const [a, b] = points;
    if (points.length === 1 && a) gesture.current = { start: a, startTime: event.timeStamp, base: current.current, multi: false };
    else if (a && b && gesture.current) {
      gesture.current.pinch = { distance: distance(a, b), scale: current.current.scale };
      gesture.current.multi = true;
    }
  };

  const onPointerMove = (event: ReactPointerEvent<HTMLElement>) => {
    if (!pointers.current.has(event.pointerId) || !gesture.current) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const [a, b] = Array.from(pointers.current.values());
    const g = gesture.current;
    if (a && b && g.pinch) {
      const scale = Math.min(MAX_SCALE, Math.max(1, (g.pinch.scale * distance(a, b)) / g.pinch.distance));
      setTransform(scale === 1 ? IDENTITY : { ...current.current, scale });
    } else if (a && g.base.scale > 1) {
      setTransform({ ...g.base, x: g.base.x + a.x - g.start.x, y: g.base.y + a.y - g.start.y });
    } else if (a && !g.multi) {
      // Follow the finger a little, so a swipe feels attached.
      setTransform({ scale: 1, x: (a.x - g.start.x) * 0.5, y: 0 });
    }
  };

  const onPointerUp = (event: ReactPointerEvent<HTMLElement>) => {
    const end = pointers.current.get(event.pointerId);
    pointers.current.delete(event.pointerId);
    const g = gesture.current;
    if (!g || !end || pointers.current.size > 0) return;
    gesture.current = undefined;
    const dx = end.x - g.start.x;
    const dy = end.y - g.start.y;
    if (g.multi) return;
    if (g.base.scale === 1 && Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(dy)) {
      setTransform(IDENTITY);
      onSwipe(dx < 0 ? "next" : "previous");
      return;
    }
    if (g.base.scale === 1) setTransform(IDENTITY);
    const isTap = Math.hypot(dx, dy) < TAP_PX && event.timeStamp - g.startTime < DOUBLE_TAP_MS;
    if (!isTap) return;
    const previous = lastTap.current;
    if (previous && event.timeStamp - previous.at < DOUBLE_TAP_MS && distance(previous.point, end) < 40) {
      lastTap.current = undefined;
      toggleZoom(event.currentTarget, end);
    } else lastTap.current = { at: event.timeStamp, point: end };
  };

  /** Zooms in around the tapped point, or back out. */
  const toggleZoom = (element: HTMLElement, at: Point) => {
    if (current.current.scale > 1) return setTransform(IDENTITY);
    const box = element.getBoundingClientRect();
    const cx = box.left + box.width / 2;
    const cy = box.top + box.height / 2;
    setTransform({ scale: DOUBLE_TAP_SCALE, x: (cx - at.x) * (DOUBLE_TAP_SCALE - 1), y: (cy - at.y) * (DOUBLE_TAP_SCALE - 1) });
  };

  return {
    transform,
    reset,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
  };
}
