"use client";
import { useRef } from "react";
import type { ApiHit } from "@/lib/search/client";
import { format, type Messages } from "@/lib/i18n/messages";
import { useHeldLastRow } from "./gallery/use-held-last-row";

/**
 * A justified grid without measuring anything: each tile's flex-basis is its width at the target
 * row height and it grows in proportion to its aspect ratio, so rows fill the width and every
 * tile keeps its aspect ratio from the first paint (no layout shift at load). A last, greedy spacer
 * keeps the final row of the results from being stretched. While more results are coming, the unfinished last
 * row is held back (see useHeldLastRow), so appending a page never re-flows a row already seen.
 */
export function JustifiedGrid({
  items,
  onOpen,
  t,
  showScores,
  holdLastRow,
  label,
}: {
  /** The tiles, each with its position in the whole result list (what onOpen receives). */
  items: { item: ApiHit; index: number }[];
  onOpen: (index: number) => void;
  t: Messages;
  showScores: boolean;
  holdLastRow: boolean;
  label?: string;
}) {
  const list = useRef<HTMLUListElement>(null);
  useHeldLastRow(list, holdLastRow, items.length);
  return (
    // Target row height: 120 px on phones, 200 px from the sm breakpoint, through a CSS variable.
    <ul ref={list} className="flex flex-wrap gap-1.5 [--row:120px] sm:[--row:200px]" aria-label={label}>
      {items.map(({ item: hit, index }) => {
        // Remote photos from an index made elsewhere may not record their size: assume 3:2.
        const aspect = hit.photo.width && hit.photo.height ? hit.photo.width / hit.photo.height : 1.5;
        const alt = hit.photo.caption?.split("\n")[0] ?? hit.photo.name;
        return (
          <li
            key={hit.id}
            className="group relative overflow-hidden rounded-md bg-neutral-200 data-held:hidden dark:bg-neutral-800"
            style={{ flexGrow: aspect, flexBasis: `calc(var(--row) * ${aspect.toFixed(4)})` }}
          >
            <a
              href={`?photo=${encodeURIComponent(hit.id)}`}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onOpen(index);
              }}
              // The focus ring is drawn by ::after above the image, which would otherwise paint over an outline.
              className="block w-full outline-none after:pointer-events-none after:absolute after:inset-0 after:rounded-md focus-visible:after:shadow-[inset_0_0_0_4px_var(--color-sky-500),inset_0_0_0_6px_white]"
              data-photo-id={hit.id}
            >
              <span className="block w-full" style={{ paddingBottom: `${100 / aspect}%` }} />
              {/* eslint-disable-next-line @next/next/no-img-element -- thumbnails are pre-sized by ingest */}
              <img
                src={hit.photo.thumbnailUrl}
                alt={alt}
                loading={index < 12 ? "eager" : "lazy"}
                fetchPriority={index < 4 ? "high" : undefined}
                decoding="async"
                className="absolute inset-0 h-full w-full object-cover transition duration-200 group-hover:scale-[1.02]"
              />
            </a>
            {showScores && (
              <span className="pointer-events-none absolute right-1 bottom-1 rounded bg-black/75 px-1.5 py-0.5 text-xs text-white opacity-0 transition group-focus-within:opacity-100 group-hover:opacity-100">
                {format("{score} {value}", { score: t.score, value: hit.score.toFixed(3) })}
              </span>
            )}
          </li>
        );
      })}
      {/* Holding back the last line, no spacer: it would take the free space of the complete line before it. */}
      {!holdLastRow && <li aria-hidden className="grow-[1000]" />}
    </ul>
  );
}
