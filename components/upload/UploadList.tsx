"use client";
import { errorAdvice } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

export interface UploadItem {
  key: string;
  name: string;
  progress: number;
  state: "queued" | "uploading" | "added" | "duplicate" | "failed";
  id?: string;
  code?: string;
  detail?: string;
}

/** The uploads of this visit: per-file progress, the outcome, and a link to each photo. */
export function UploadList({
  items,
  onView,
  onDismiss,
  t,
}: {
  items: UploadItem[];
  onView: (id: string) => void;
  onDismiss: () => void;
  t: Messages;
}) {
  if (items.length === 0) return null;
  const busy = items.some((item) => item.state === "uploading" || item.state === "queued");
  return (
    <section
      aria-label={t.uploadsTitle}
      className="fixed right-3 bottom-3 left-3 z-40 max-h-[50vh] overflow-y-auto rounded-xl border border-neutral-300 bg-white p-3 text-sm shadow-lg sm:left-auto sm:w-96 dark:border-neutral-700 dark:bg-neutral-900"
      data-testid="uploads"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="font-semibold">{t.uploadsTitle}</h2>
        {!busy && (
          <button
            type="button"
            onClick={onDismiss}
            aria-label={t.dismiss}
            className="h-11 w-11 rounded-md hover:bg-neutral-100 dark:hover:bg-neutral-800"
          >
            ✕
          </button>
        )}
      </div>
      <ul className="flex flex-col gap-2" role="status">
        {items.map((item) => (
          <li key={item.key} className="flex flex-col gap-1" data-state={item.state}>
            <div className="flex items-center justify-between gap-2">
              <span className="truncate" title={item.name}>
                {item.name}
              </span>
              <Outcome item={item} onView={onView} t={t} />
            </div>
            {(item.state === "uploading" || item.state === "queued") && (
              <progress aria-label={`${t.uploading} ${item.name}`} value={item.progress} max={1} className="h-2 w-full accent-sky-700" />
            )}
            {item.state === "failed" && item.code && (
              <p className="text-red-700 dark:text-red-300">
                {errorAdvice(t, item.code).message} {errorAdvice(t, item.code).action}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Outcome({ item, onView, t }: { item: UploadItem; onView: (id: string) => void; t: Messages }) {
  if (item.state === "failed") return <span className="shrink-0 text-red-700 dark:text-red-300">{t.uploadFailed}</span>;
  if (item.state !== "added" && item.state !== "duplicate") return null;
  return (
    <span className="flex shrink-0 items-center gap-2">
      <span className={item.state === "added" ? "text-emerald-800 dark:text-emerald-300" : "text-neutral-700 dark:text-neutral-300"}>
        {item.state === "added" ? t.uploadAdded : t.uploadDuplicate}
      </span>
      {item.id && (
        <a
          href={`?photo=${encodeURIComponent(item.id)}`}
          onClick={(e) => {
            e.preventDefault();
            onView(item.id!);
          }}
          className="inline-flex min-h-11 items-center rounded-md px-2 text-sky-800 underline sm:min-h-8 dark:text-sky-300"
        >
          {t.uploadView}
        </a>
      )}
    </span>
  );
}
