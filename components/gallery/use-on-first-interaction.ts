"use client";
import { useEffect } from "react";

/** What precedes any click or tap: a pointer moving or pressed, a touch, a key. */
const FIRST_SIGNS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel"] as const;

/**
 * Calls `run` once, at the first of `signs` anywhere on the page (captured, passive); returns
 * what stops waiting.
 */
export function onFirstSign(run: () => void, signs: readonly string[] = FIRST_SIGNS): () => void {
  const once = () => {
    stop();
    run();
  };
  const stop = () => signs.forEach((type) => window.removeEventListener(type, once, true));
  signs.forEach((type) => window.addEventListener(type, once, { capture: true, passive: true }));
  return stop;
}

/**
 * Runs `task` once, at the first sign of a user (code the first paint does not need, such as the
 * photo view's). Not when the page goes idle: on a phone that is still during the load, where the
 * module's evaluation is one more long task competing with the page becoming interactive.
 */
export function useOnFirstInteraction(task: () => unknown) {
  useEffect(() => onFirstSign(() => void task()), [task]);
}
