"use client";
/** Calls `loadMore` when the returned sentinel comes within 800 px of the viewport. */
import { useEffect, useRef } from "react";
import { onFirstSign } from "./use-on-first-interaction";

/** A user on the page: the signs before a click, and any scroll (a scrollbar dragged, a page scrolled by script). */
const USER_SIGNS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll"] as const;

/**
 * With `waitForUser` (a phone served its first screens only), nothing more is loaded before the
 * user's first sign: the sentinel of so short a page is within reach at once, and the next page's
 * request, render and images would compete with the page becoming interactive for tiles no one has
 * scrolled to yet. Once the user is there, it stays open.
 */
export function useInfiniteScroll(enabled: boolean, loadMore: () => void, waitForUser = false) {
  const sentinel = useRef<HTMLDivElement>(null);
  const load = useRef(loadMore);
  const userHere = useRef(!waitForUser);
  useEffect(() => {
    load.current = loadMore;
  });
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !enabled) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && load.current(), { rootMargin: "800px" });
    if (userHere.current) {
      observer.observe(node);
      return () => observer.disconnect();
    }
    const stopWaiting = onFirstSign(() => {
      userHere.current = true;
      observer.observe(node);
    }, USER_SIGNS);
    return () => {
      stopWaiting();
      observer.disconnect();
    };
  }, [enabled]);
  return sentinel;
}
