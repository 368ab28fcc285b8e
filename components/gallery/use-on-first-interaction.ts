"use client";
import { useEffect } from "react";

/** What precedes any click or tap: a pointer moving or pressed, a touch, a key. */
const FIRST_SIGNS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel"] as const;

/**
 * Runs `task` once, at the first sign of a user (code the first paint does not need, such as the
 * photo view's). Not when the page goes idle: on a phone that is still during the load, where the
 * module's evaluation is one more long task competing with the page becoming interactive.
 */
export function useOnFirstInteraction(task: () => unknown) {
  useEffect(() => {
    const run = () => {
      stop();
      void task();
    };
    const stop = () => FIRST_SIGNS.forEach((type) => window.removeEventListener(type, run, true));
    FIRST_SIGNS.forEach((type) => window.addEventListener(type, run, { capture: true, passive: true }));
    return stop;
  }, [task]);
}
