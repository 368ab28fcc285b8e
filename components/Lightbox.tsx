"use client";
import { useEffect, useRef, useState } from "react";
import { deletePhoto, type ApiError, type ApiHit } from "@/lib/search/client";
import { errorText, type Messages } from "@/lib/i18n/messages";

function formatDate(iso: string | undefined, lang: string): string | undefined {
  if (!iso) return undefined;
  // EXIF times are wall-clock times stored as UTC: show them as written.
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

/** The photo view: large image, metadata, ←/→ to move, Esc to close, and "more like this". */
export function Lightbox({
  hits,
  index,
  onClose,
  onMove,
  onSimilar,
  onDeleted,
  t,
  lang,
  actions,
}: {
  hits: ApiHit[];
  index: number;
  onClose: () => void;
  onMove: (index: number) => void;
  onSimilar: (id: string) => void;
  /** Offered to users who may delete; called once the photo is gone. */
  onDeleted?: (id: string) => void;
  t: Messages;
  lang: string;
  /** More query actions for the shown photo ("More like this, but…", "Not like this"). */
  actions?: (id: string) => React.ReactNode;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const hit = hits[index];

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
      else if (event.key === "ArrowRight" && index < hits.length - 1) onMove(index + 1);
      else if (event.key === "ArrowLeft" && index > 0) onMove(index - 1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [index, hits.length, onClose, onMove]);

  useEffect(() => dialog.current?.focus(), []);
  if (!hit) return null;
  const { photo } = hit;
  const facts: [string, string | undefined][] = [
    [t.taken, formatDate(photo.takenAt, lang)],
    [t.camera, photo.camera],
    [t.location, photo.location && `${photo.location.lat.toFixed(4)}, ${photo.location.lon.toFixed(4)}`],
    [t.folder, photo.folder],
    [t.size, `${photo.width} × ${photo.height}`],
  ];
  return (
    <div
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-label={photo.name}
      tabIndex={-1}
      className="fixed inset-0 z-50 flex flex-col bg-neutral-950/97 text-neutral-100 backdrop-blur-sm outline-none md:flex-row"
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="relative flex min-h-0 flex-1 items-center justify-center p-2 md:p-6"
        onClick={(e) => e.target === e.currentTarget && onClose()}
      >
        {/* eslint-disable-next-line @next/next/no-img-element -- the original at its own size (the thumbnail for HEIC and TIFF, which browsers cannot show) */}
        <img src={photo.displayUrl} alt={photo.caption?.split("\n")[0] ?? photo.name} className="max-h-full max-w-full object-contain" />
        <button
          type="button"
          aria-label={t.previous}
          disabled={index === 0}
          onClick={() => onMove(index - 1)}
          className="absolute top-1/2 left-2 -translate-y-1/2 rounded-full bg-white/10 px-3 py-2 text-2xl hover:bg-white/20 disabled:opacity-20"
        >
          ‹
        </button>
        <button
          type="button"
          aria-label={t.next}
          disabled={index === hits.length - 1}
          onClick={() => onMove(index + 1)}
          className="absolute top-1/2 right-2 -translate-y-1/2 rounded-full bg-white/10 px-3 py-2 text-2xl hover:bg-white/20 disabled:opacity-20"
        >
          ›
        </button>
      </div>
      <aside className="max-h-[40vh] w-full shrink-0 overflow-y-auto border-t border-white/10 bg-neutral-950 p-4 text-sm md:max-h-none md:w-80 md:border-t-0 md:border-l">
        <div className="mb-3 flex items-start justify-between gap-2">
          <h2 className="font-medium break-all">{photo.name}</h2>
          <button type="button" onClick={onClose} aria-label={t.close} className="rounded px-2 text-lg hover:bg-white/10">
            ✕
          </button>
        </div>
        {photo.caption && <p className="mb-3 whitespace-pre-line text-neutral-300">{photo.caption.split("\n")[0]}</p>}
        <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          {facts
            .filter(([, value]) => value)
            .map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-neutral-400">{label}</dt>
                <dd className="break-all">{value}</dd>
              </div>
            ))}
        </dl>
        {photo.tags.length > 0 && (
          <p className="mb-4 flex flex-wrap gap-1">
            {photo.tags.map((tag) => (
              <span key={tag} className="rounded bg-white/10 px-1.5 py-0.5 text-xs">
                {tag}
              </span>
            ))}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            onClick={() => onSimilar(hit.id)}
            className="rounded-md bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-500"
          >
            {t.moreLikeThis}
          </button>
          <a
            href={photo.originalUrl}
            target="_blank"
            rel="noreferrer"
            className="rounded-md border border-white/20 px-3 py-1.5 hover:bg-white/10"
          >
            {t.openOriginal}
          </a>
        </div>
        {onDeleted && <DeleteControl key={hit.id} id={hit.id} onDeleted={onDeleted} t={t} />}
        {actions?.(hit.id)}
      </aside>
    </div>
  );
}

/** Delete, then a second, explicit confirmation: nothing is removed by a single stray click. */
function DeleteControl({ id, onDeleted, t }: { id: string; onDeleted: (id: string) => void; t: Messages }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await deletePhoto(id);
      onDeleted(id);
    } catch (caught) {
      const apiError = caught as ApiError;
      setError(errorText(t, apiError.code, apiError.message));
      setBusy(false);
    }
  };
  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="mt-4 rounded-md border border-red-400/40 px-3 py-1.5 text-red-300 hover:bg-red-500/10"
      >
        {t.deletePhoto}
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label={t.deletePhoto} className="mt-4 rounded-md border border-red-400/40 p-3">
      <p className="mb-2 text-neutral-200">{t.deleteConfirm}</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={() => void remove()}
          className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-50"
        >
          {t.deleteYes}
        </button>
        <button
          type="button"
          onClick={() => setConfirming(false)}
          className="rounded-md border border-white/20 px-3 py-1.5 hover:bg-white/10"
        >
          {t.cancel}
        </button>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
