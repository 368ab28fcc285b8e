import type { ApiHit } from "@/lib/search/client";
import type { Messages } from "@/lib/i18n/messages";

/**
 * A justified grid without measuring anything: each tile's flex-basis is its width at the target
 * row height and it grows in proportion to its aspect ratio, so rows fill the width and every
 * tile keeps its aspect ratio from the first paint (no layout shift). A last, greedy spacer keeps
 * the final row from being stretched.
 */
export function JustifiedGrid({
  hits,
  onOpen,
  t,
  showScores,
}: {
  hits: ApiHit[];
  onOpen: (index: number) => void;
  t: Messages;
  showScores: boolean;
}) {
  return (
    // Target row height: 120 px on phones, 200 px from the sm breakpoint, through a CSS variable.
    <ul
      className="flex flex-wrap gap-1.5 [--row:120px] sm:[--row:200px]"
      aria-label={t.results.replace("{count}", String(hits.length))}
      data-testid="results"
    >
      {hits.map((hit, index) => {
        // Remote photos from an index made elsewhere may not record their size: assume 3:2.
        const aspect = hit.photo.width && hit.photo.height ? hit.photo.width / hit.photo.height : 1.5;
        const alt = hit.photo.caption?.split("\n")[0] ?? hit.photo.name;
        return (
          <li
            key={hit.id}
            className="group relative overflow-hidden rounded-md bg-neutral-200 dark:bg-neutral-800"
            style={{ flexGrow: aspect, flexBasis: `calc(var(--row) * ${aspect.toFixed(4)})` }}
          >
            <button
              type="button"
              onClick={() => onOpen(index)}
              className="block w-full focus-visible:outline-3 focus-visible:outline-offset-[-3px] focus-visible:outline-sky-500"
              data-photo-id={hit.id}
            >
              <span className="block w-full" style={{ paddingBottom: `${100 / aspect}%` }} />
              {/* eslint-disable-next-line @next/next/no-img-element -- thumbnails are pre-sized by ingest */}
              <img
                src={hit.photo.thumbnailUrl}
                alt={alt}
                loading={index < 12 ? "eager" : "lazy"}
                decoding="async"
                className="absolute inset-0 h-full w-full object-cover transition duration-200 group-hover:scale-[1.02]"
              />
            </button>
            {showScores && (
              <span className="pointer-events-none absolute right-1 bottom-1 rounded bg-black/65 px-1.5 py-0.5 text-xs text-white opacity-0 transition group-focus-within:opacity-100 group-hover:opacity-100">
                {t.score} {hit.score.toFixed(3)}
              </span>
            )}
          </li>
        );
      })}
      <li aria-hidden className="grow-[1000]" />
    </ul>
  );
}
