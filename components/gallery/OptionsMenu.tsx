"use client";
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

/**
 * Less common settings, folded away: computing the query vector in this browser. Opting in starts
 * loading the model right away (with its progress), so the first query does not wait for it.
 */
export function OptionsMenu({
  browserEmbedding,
  onBrowserEmbedding,
  progress,
  t,
}: {
  browserEmbedding?: boolean;
  onBrowserEmbedding?: (on: boolean) => void;
  progress?: number;
  t: Messages;
}) {
  if (!onBrowserEmbedding) return null;
  return (
    <details className="relative text-sm">
      <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md px-2 text-neutral-700 sm:min-h-9 dark:text-neutral-300">
        {t.options}
      </summary>
      <div className="mt-1 flex flex-col gap-1 rounded-lg border border-neutral-300 p-2 dark:border-neutral-700">
        <label className="flex min-h-11 items-center gap-2 sm:min-h-9" title={t.browserEmbeddingHint}>
          <input
            type="checkbox"
            checked={browserEmbedding}
            onChange={(e) => onBrowserEmbedding(e.target.checked)}
            className="h-5 w-5 accent-sky-700"
            data-testid="browser-embedding"
          />
          {t.browserEmbedding}
        </label>
        <p className="text-neutral-700 dark:text-neutral-300">{t.browserEmbeddingHint}</p>
        {progress !== undefined && (
          <p role="status" className="text-neutral-700 dark:text-neutral-300">
            {format(t.modelLoading, { progress })}
          </p>
        )}
      </div>
    </details>
  );
}
