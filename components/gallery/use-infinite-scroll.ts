"use client";
/** Calls `loadMore` when the returned sentinel comes within 800 px of the viewport. */
import { useEffect, useRef } from "react";

export function useInfiniteScroll(enabled: boolean, loadMore: () => void) {
  const sentinel = useRef<HTMLDivElement>(null);
  const load = useRef(loadMore);
  useEffect(() => {
    load.current = loadMore;
  });
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !enabled) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && load.current(), { rootMargin: "800px" });
    observer.observe(node);
    return () => observer.disconnect();
  }, [enabled]);
  return sentinel;
}
