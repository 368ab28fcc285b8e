"use client";
import { useState } from "react";
import type { Messages } from "@/lib/i18n/messages";
import { uploadPhoto } from "@/lib/search/client";

/** Adds photos to the library through the ingest pipeline, showing upload progress. */
export function UploadButton({ onUploaded, t }: { onUploaded: () => void; t: Messages }) {
  const [progress, setProgress] = useState<number>();
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setMessage(undefined);
    try {
      for (const file of Array.from(files)) {
        setProgress(0);
        await uploadPhoto(file, setProgress);
      }
      setMessage({ text: t.uploaded, error: false });
      onUploaded();
    } catch (error) {
      setMessage({ text: (error as Error).message, error: true });
    } finally {
      setProgress(undefined);
    }
  };
  return (
    <div className="flex items-center gap-2 text-sm">
      <label className="cursor-pointer rounded-lg border border-neutral-300 px-3 py-1.5 hover:bg-neutral-100 focus-within:ring-2 focus-within:ring-sky-500 dark:border-neutral-700 dark:hover:bg-neutral-800">
        {t.upload}
        <input
          type="file"
          accept="image/*"
          multiple
          className="sr-only"
          data-testid="upload"
          onChange={(e) => {
            void upload(e.target.files);
            e.target.value = "";
          }}
        />
      </label>
      {progress !== undefined && <progress aria-label={t.uploading} value={progress} max={1} className="h-2 w-24 accent-sky-600" />}
      {message && (
        <span role="status" className={message.error ? "text-red-600 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}>
          {message.text}
        </span>
      )}
    </div>
  );
}
