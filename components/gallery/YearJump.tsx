"use client";
import { plural, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

/**
 * On a library spanning years: jump to a year (browsing continues from its end, newest first).
 * Only years that hold photos are offered (the store's facets), each with its number of photos.
 */
export function YearJump({
  years,
  current,
  onJump,
  t,
  lang,
}: {
  years: { year: number; count: number }[];
  current?: number;
  onJump: (year?: number) => void;
  t: Messages;
  lang: Language;
}) {
  if (years.length < 2) return null;
  return (
    <nav aria-label={t.jumpToYear} className="mb-3 flex flex-wrap items-center gap-1 text-sm" data-testid="year-jump">
      <span className="mr-1 text-neutral-600 dark:text-neutral-400">{t.jumpToYear}</span>
      {years.map(({ year, count }) => (
        <button
          key={year}
          type="button"
          aria-current={current === year ? "true" : undefined}
          onClick={() => onJump(current === year ? undefined : year)}
          className="min-h-11 min-w-11 rounded-md px-2 hover:bg-neutral-100 aria-[current]:bg-neutral-900 aria-[current]:text-white sm:min-h-8 dark:hover:bg-neutral-800 dark:aria-[current]:bg-neutral-100 dark:aria-[current]:text-neutral-900"
        >
          {/* Named by its content ("2008: 9 photos"), not aria-label, so the name starts with what is seen. */}
          {year}
          <span className="ml-1 text-xs opacity-75" aria-hidden>
            {count}
          </span>
          <span className="sr-only">: {plural(lang, t.resultCount, count)}</span>
        </button>
      ))}
    </nav>
  );
}
