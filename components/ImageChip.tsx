"use client";
import { useEffect, useState } from "react";
import type { Messages } from "@/lib/i18n/messages";
import { loadQueryImage } from "@/lib/query-image";

/** An object URL for the query image kept in this browser under `imageId` (undefined until read). */
export function useQueryImageUrl(imageId: string): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    let objectUrl: string | undefined;
    let live = true;
    void loadQueryImage(imageId).then((blob) => {
      if (!live || !blob) return;
      objectUrl = URL.createObjectURL(blob);
      setUrl(objectUrl);
    });
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [imageId]);
  return url;
}

/** The image being searched with (kept in this browser under its id), shown as a removable chip. */
export function ImageChip({ imageId, onRemove, t }: { imageId: string; onRemove: () => void; t: Messages }) {
  const url = useQueryImageUrl(imageId);
  return (
    <div
      className="inline-flex items-center gap-2 rounded-full border border-neutral-300 bg-neutral-50 py-1 pr-1 pl-1 text-sm dark:border-neutral-700 dark:bg-neutral-900"
      data-testid="image-chip"
      data-image-id={imageId}
    >
      {url ? (
        // eslint-disable-next-line @next/next/no-img-element -- a local object URL
        <img src={url} alt="" className="h-8 w-8 rounded-full object-cover" />
      ) : (
        <span className="h-8 w-8 rounded-full bg-neutral-300 dark:bg-neutral-700" />
      )}
      <span>{t.imageQuery}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={t.removeImage}
        className="h-9 w-9 rounded-full hover:bg-neutral-200 dark:hover:bg-neutral-800"
      >
        ✕
      </button>
    </div>
  );
}
