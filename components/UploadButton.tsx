"use client";
import { useState } from "react";
import type { Messages } from "@/lib/i18n/messages";
import { ApiError, uploadPhoto } from "@/lib/search/client";
import { UploadList, type UploadItem } from "./upload/UploadList";

/**
 * Adds photos to the library through the ingest pipeline: several files at once, one after another,
 * each with its own progress and outcome (added, already in the library, or why it failed) and a
 * link to the photo. The list floats over the page, so the header keeps its size.
 */
export function UploadButton({ onUploaded, onView, t }: { onUploaded: () => void; onView: (id: string) => void; t: Messages }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const update = (key: string, patch: Partial<UploadItem>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const upload = async (files: File[]) => {
    const batch = files.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      progress: 0,
      state: "queued" as const,
    }));
    setItems((all) => [...all.filter((item) => item.state === "uploading" || item.state === "queued"), ...batch]);
    let added = false;
    for (const [i, file] of files.entries()) {
      const key = batch[i]!.key;
      update(key, { state: "uploading" });
      try {
        const result = await uploadPhoto(file, (progress) => update(key, { progress }));
        const duplicate = result.outcome === "unchanged";
        added ||= !duplicate;
        update(key, { state: duplicate ? "duplicate" : "added", progress: 1, id: result.photo?.id });
      } catch (error) {
        const apiError = error instanceof ApiError ? error : undefined;
        update(key, { state: "failed", code: apiError?.code ?? "http", detail: (error as Error).message });
      }
    }
    if (added) onUploaded();
  };

  return (
    <>
      <label className="inline-flex min-h-11 cursor-pointer items-center rounded-lg border border-neutral-300 px-3 text-sm focus-within:ring-2 focus-within:ring-sky-500 hover:bg-neutral-100 sm:min-h-9 dark:border-neutral-700 dark:hover:bg-neutral-800">
        {t.upload}
        <input
          type="file"
          accept="image/*"
          multiple
          className="sr-only"
          data-testid="upload"
          onChange={(e) => {
            void upload(Array.from(e.target.files ?? []));
            e.target.value = "";
          }}
        />
      </label>
      <UploadList
        items={items}
        onView={onView}
        onDismiss={() => setItems((all) => all.filter((item) => item.state === "uploading" || item.state === "queued"))}
        t={t}
      />
    </>
  );
}
