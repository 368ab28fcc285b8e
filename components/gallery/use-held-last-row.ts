"use client";
/**
 * Holds back the unfinished last row of a justified grid while more results are coming. Flex-wrap
 * fills lines greedily, so the tiles of the last line are exactly the ones that would be stretched
 * (changing their height: a layout shift) when the next page fills that line. They are hidden with
 * a data attribute before the browser paints, and shown again once the next page arrives (or none
 * will). Earlier lines never change: hiding items at the end of a flex line cannot move them.
 */
import { useLayoutEffect, type RefObject } from "react";

export function useHeldLastRow(list: RefObject<HTMLUListElement | null>, hold: boolean, count: number): void {
  useLayoutEffect(() => {
    const node = list.current;
    if (!node) return;
    const apply = () => {
      const tiles = Array.from(node.children).filter(
        (child): child is HTMLElement => child instanceof HTMLElement && !child.hasAttribute("aria-hidden"),
      );
      for (const tile of tiles) tile.removeAttribute("data-held");
      const lastTile = tiles.at(-1);
      if (!hold || !lastTile) return;
      // Read every position first: hiding a tile re-flows the line, so reads after a write would lie.
      const lastTop = lastTile.offsetTop;
      const lastLine = tiles.filter((tile) => tile.offsetTop === lastTop);
      for (const tile of lastLine) tile.setAttribute("data-held", "");
    };
    apply();
    // Only a new width changes which tiles share the last line (holding tiles back changes the height).
    let width = node.clientWidth;
    const observer = new ResizeObserver(() => {
      if (node.clientWidth === width) return;
      width = node.clientWidth;
      apply();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [list, hold, count]);
}
