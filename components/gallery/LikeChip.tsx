"use client";
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";

/** "More like <photo>": the photo a similarity search started from, with its thumbnail. */
export function LikeChip({ id, name, onRemove, t }: { id: string; name?: string; onRemove: () => void; t: Messages }) {
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full border border-neutral-300 bg-neutral-50 py-1 pr-1 pl-1 text-sm dark:border-neutral-700 dark:bg-neutral-900"
      data-testid="like-chip"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- a stored thumbnail */}
      <img src={`/api/photos/${id}/thumbnail`} alt="" width={32} height={32} className="h-8 w-8 rounded-full object-cover" />
      <span className="max-w-56 truncate">{name ? format(t.likeFrom, { name }) : t.similarTo}</span>
      <button
        type="button"
        aria-label={t.removeImage}
        onClick={onRemove}
        className="h-9 w-9 rounded-full hover:bg-neutral-200 dark:hover:bg-neutral-800"
      >
        ✕
      </button>
    </span>
  );
}
