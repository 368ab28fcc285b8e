"use client";
import { plural, type Language, type Messages } from "@/lib/i18n/messages";
import type { ResultOrder } from "@/lib/search/request";

/**
 * "23 photos · best matches first", and the relevance/date switch for searches. The count is exact
 * when known (all results loaded, or the library's size when browsing it whole), else a lower bound.
 */
export function ResultSummary({
  count,
  exact,
  isBrowse,
  order,
  onOrder,
  t,
  lang,
}: {
  count: number;
  exact: boolean;
  isBrowse: boolean;
  order: ResultOrder;
  onOrder: (order: ResultOrder) => void;
  t: Messages;
  lang: Language;
}) {
  const counted = plural(lang, exact ? t.resultCount : t.resultCountAtLeast, count);
  const how = isBrowse ? t.newestFirst : order === "relevance" ? t.byRelevance : order === "newest" ? t.orderNewest : t.orderOldest;
  return (
    <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-neutral-600 dark:text-neutral-400" data-testid="result-count">
        <strong className="font-semibold text-neutral-900 dark:text-neutral-100">{counted}</strong> · {how}
      </p>
      {!isBrowse && (
        <div
          role="group"
          aria-label={t.order}
          className="flex overflow-hidden rounded-lg border border-neutral-300 dark:border-neutral-700"
        >
          {(["relevance", "newest"] as const).map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={order === value}
              onClick={() => onOrder(value)}
              className="min-h-11 px-3 aria-pressed:bg-neutral-900 aria-pressed:text-white sm:min-h-9 dark:aria-pressed:bg-neutral-100 dark:aria-pressed:text-neutral-900"
            >
              {value === "relevance" ? t.orderRelevance : t.orderNewest}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
