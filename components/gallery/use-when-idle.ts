"use client";
import { useEffect } from "react";

/** Runs `task` once, when the browser is idle after the page loaded (code the first paint does not need). */
export function useWhenIdle(task: () => unknown) {
  useEffect(() => {
    // Safari has no requestIdleCallback: a timeout after load stands in.
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    let handle: number | undefined;
    const schedule = () => (handle = idle(() => void task()));
    if (document.readyState === "complete") schedule();
    else window.addEventListener("load", schedule, { once: true });
    return () => {
      window.removeEventListener("load", schedule);
      if (handle !== undefined) cancel(handle);
    };
  }, [task]);
}
