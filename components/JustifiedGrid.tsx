"use client";
import { useRef } from "react";
import type { ApiHit } from "@/lib/search/client";
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { useHeldLastRow } from "./gallery/use-held-last-row";

/**
 * A justified grid without measuring anything: each tile's flex-basis is its width at the target
 * row height and it grows in proportion to its aspect ratio, so rows fill the width and every
 * tile keeps its aspect ratio from the first paint (no layout shift at load). A last, greedy spacer
 * keeps the final row of the results from being stretched. While more results are coming, the unfinished last
 * row is held back (see useHeldLastRow), so appending a page never re-flows a row already seen.
 */
/** Tiles a phone shows before scrolling (two or three per 120 px row under the header), loaded eagerly. */
const EAGER_TILES = 8;
/** The first row's tiles: the largest paint is among them. */
const HIGH_PRIORITY_TILES = 3;
/** The thumbnail's long side as ingest makes it by default (THUMBNAIL_SIZE); only a hint to the browser's choice. */
const THUMBNAIL_PX = 480;
/** Row heights (the grid's --row): 120 px below the sm breakpoint (640 px), 200 px from it. */
const ROW_PX = { phone: 120, wide: 200 };

/**
 * `srcset` and `sizes` from the thumbnail's renditions: a tile is its row's height tall and about
 * `aspect` times that wide, so a phone (120 px rows) takes the 320 px rendition at up to ~2× pixel
 * density and a desktop the 480 px thumbnail only on high-density screens. Widths are the photo's
 * own, scaled as the thumbnail was (fit inside, never enlarged).
 */
function thumbnailSources(photo: ApiHit["photo"], aspect: number): { srcSet?: string; sizes?: string } {
  const { width, height, thumbnailRenditions } = photo;
  if (!width || !height || !thumbnailRenditions?.length) return {};
  const widthAt = (longSide: number) => Math.round(width * Math.min(1, longSide / Math.max(width, height)));
  const candidates = [...thumbnailRenditions.map((r) => `${r.url} ${widthAt(r.size)}w`), `${photo.thumbnailUrl} ${widthAt(THUMBNAIL_PX)}w`];
  return {
    srcSet: candidates.join(", "),
    sizes: `(min-width: 640px) ${Math.round(ROW_PX.wide * aspect)}px, ${Math.round(ROW_PX.phone * aspect)}px`,
  };
}

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
              {/* React's server renderer preloads the first ten eager images in the head, before the
                  stylesheet: on HTTP/1.1's six connections the stylesheet then waited for the photos
                  and the first paint with it. Inside <picture> it leaves them to the browser, which
                  finds them in the HTML just after the stylesheet. */}
              <picture>
                <img
                  src={hit.photo.thumbnailUrl}
                  {...thumbnailSources(hit.photo, aspect)}
                  alt={alt}
                  // The first rows of a phone's screen load at once (the first row first: it is the
                  // largest paint); the rest when scrolled near, so they do not share the phone's
                  // bandwidth with the photos in view.
                  loading={index < EAGER_TILES ? "eager" : "lazy"}
                  fetchPriority={index < HIGH_PRIORITY_TILES ? "high" : undefined}
                  // The first row is decoded for the frame it first appears in (the largest paint is
                  // one of them); "async" painted it a frame after the rest of the page.
                  decoding={index < HIGH_PRIORITY_TILES ? "auto" : "async"}
                  className="absolute inset-0 h-full w-full object-cover transition duration-200 group-hover:scale-[1.02]"
                />
              </picture>
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
