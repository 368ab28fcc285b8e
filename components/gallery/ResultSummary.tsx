"use client";
import { plural, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import type { ResultOrder } from "@/lib/search/request";

/**
 * "23 photos · best matches first". The count is exact when known (all results loaded, or the
 * library's size when browsing it whole), else a lower bound. The order is chosen beside the
 * relevant count (components/query/RelevanceControls.tsx), one control for it.
 */
export function ResultSummary({
  count,
  exact,
  isBrowse,
  order,
  t,
  lang,
}: {
  count: number;
  exact: boolean;
  isBrowse: boolean;
  order: ResultOrder;
  t: Messages;
  lang: Language;
}) {
  const counted = plural(lang, exact ? t.resultCount : t.resultCountAtLeast, count);
  const how = isBrowse ? t.newestFirst : order === "relevance" ? t.byRelevance : order === "newest" ? t.newestFirst : t.oldestFirst;
  return (
    <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-neutral-600 dark:text-neutral-400" data-testid="result-count">
        <strong className="font-semibold text-neutral-900 dark:text-neutral-100">{counted}</strong> · {how}
      </p>
    </div>
  );
}
