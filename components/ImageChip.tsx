"use client";
import { useEffect, useMemo } from "react";
import type { Messages } from "@/lib/i18n/messages";

/** The image being searched with, shown as a removable chip. */
export function ImageChip({ image, onRemove, t }: { image: Blob; onRemove: () => void; t: Messages }) {
  const url = useMemo(() => URL.createObjectURL(image), [image]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div
      className="inline-flex items-center gap-2 rounded-full border border-neutral-300 bg-neutral-50 py-1 pr-1 pl-1 text-sm dark:border-neutral-700 dark:bg-neutral-900"
      data-testid="image-chip"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL */}
      {url && <img src={url} alt="" className="h-8 w-8 rounded-full object-cover" />}
      <span>{t.imageQuery}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={t.removeImage}
        className="rounded-full px-2 py-0.5 hover:bg-neutral-200 dark:hover:bg-neutral-800"
      >
        ✕
      </button>
    </div>
  );
}
