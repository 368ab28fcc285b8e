"use client";
/** How many hits are relevant and the order within them, above the results of a meaning search. */
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import type { ResultOrder } from "@/lib/search/request";
import type { ViewState } from "@/lib/search/url-state";

export function RelevanceSummary({
  relevant,
  view,
  t,
  onChange,
}: {
  relevant?: number;
  view: ViewState;
  t: Messages;
  onChange: (next: ViewState) => void;
}) {
  if (relevant === undefined) return null;
  return (
    <div className="mb-3 flex flex-wrap items-center gap-3 text-sm text-neutral-600 dark:text-neutral-400">
      <span data-testid="relevant-count">{format(t.relevantCount, { count: relevant })}</span>
      <label className="flex items-center gap-1.5">
        {t.order}
        <select
          value={view.order ?? "relevance"}
          onChange={(e) => onChange({ ...view, order: e.target.value as ResultOrder })}
          className="rounded-md border border-neutral-300 bg-white px-1.5 py-0.5 dark:border-neutral-700 dark:bg-neutral-900"
        >
          <option value="relevance">{t.orderRelevance}</option>
          <option value="newest">{t.orderNewest}</option>
          <option value="oldest">{t.orderOldest}</option>
        </select>
      </label>
    </div>
  );
}

/** After the relevant hits: offer the less relevant ones instead of silently padding the results. */
export function LessRelevant({
  relevant,
  lessRelevant,
  view,
  t,
  onChange,
}: {
  relevant?: number;
  lessRelevant?: number;
  view: ViewState;
  t: Messages;
  onChange: (next: ViewState) => void;
}) {
  if (relevant === undefined) return null;
  if (view.all)
    return (
      <div className="py-4 text-center">
        <button
          type="button"
          onClick={() => onChange({ ...view, all: undefined })}
          className="text-sm text-sky-700 hover:underline dark:text-sky-400"
        >
          {t.onlyRelevant}
        </button>
      </div>
    );
  if (!lessRelevant) return null;
  return (
    <div className="py-6 text-center">
      {relevant === 0 && <p className="mb-2 text-sm text-neutral-600 dark:text-neutral-400">{t.noneRelevant}</p>}
      <button
        type="button"
        data-testid="show-less-relevant"
        onClick={() => onChange({ ...view, all: true })}
        className="rounded-lg border border-neutral-300 px-4 py-2 text-sm hover:bg-neutral-100 dark:border-neutral-700 dark:hover:bg-neutral-800"
      >
        {format(t.showLessRelevant, { count: lessRelevant })}
      </button>
    </div>
  );
}
