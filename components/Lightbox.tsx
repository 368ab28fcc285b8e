"use client";
import { useEffect, useState } from "react";
import dynamic from "next/dynamic";
import { deletePhoto, type ApiError } from "@/lib/search/client";
import { errorText, format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { placeLabel } from "@/lib/places/labels";
import type { PhotoView } from "@/lib/search/view";
import { useModalDialog } from "./photo-view/use-modal-dialog";
import { usePhotoGestures } from "./photo-view/use-photo-gestures";
import type { MapTiles } from "./places/base-layer";

// Leaflet touches `window` when loaded: the map loads in the browser only.
const PhotoMap = dynamic(() => import("./places/PhotoMap"), { ssr: false });
const NO_TILES: MapTiles = { attribution: "" };

function formatDate(iso: string | undefined, lang: string): string | undefined {
  if (!iso) return undefined;
  // EXIF times are wall-clock times stored as UTC: show them as written.
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

/**
 * The photo view, a modal <dialog>: the page behind is inert and does not scroll, Tab stays inside,
 * Escape and ✕ close it and focus returns to the photo's tile; ←/→, the side buttons and a swipe move
 * between photos; pinch and double-tap zoom. Its URL (?photo=) is managed by the gallery, so Back
 * closes it and the link can be shared.
 */
export function Lightbox({
  photo,
  index,
  count,
  onClose,
  onMove,
  onSimilar,
  onDeleted,
  t,
  lang,
  actions,
  mapTiles,
}: {
  photo: PhotoView;
  /** The photo's position in the results, or -1 when it is not among them (a shared link). */
  index: number;
  count: number;
  onClose: () => void;
  onMove: (index: number) => void;
  onSimilar: (id: string) => void;
  /** Offered to users who may delete; called once the photo is gone. */
  onDeleted?: (id: string) => void;
  t: Messages;
  lang: string;
  /** More query actions for the shown photo ("More like this, but…", "Not like this"). */
  actions?: (id: string) => React.ReactNode;
  /** The map's tiles, for the small map of where the photo was taken. */
  mapTiles?: MapTiles;
}) {
  const dialog = useModalDialog(onClose);
  const hasPrevious = index > 0;
  const hasNext = index >= 0 && index < count - 1;
  const gestures = usePhotoGestures((direction) => {
    if (direction === "next" && hasNext) onMove(index + 1);
    else if (direction === "previous" && hasPrevious) onMove(index - 1);
  });
  const { reset } = gestures;
  useEffect(() => reset(), [photo.id, reset]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === "ArrowRight" && hasNext) onMove(index + 1);
    else if (event.key === "ArrowLeft" && hasPrevious) onMove(index - 1);
  };
  const { scale, x, y } = gestures.transform;
  const placeText = photo.place
    ? placeLabel(photo.place, lang === "zh" ? "zh" : "en")
    : photo.location && `${photo.location.lat.toFixed(4)}, ${photo.location.lon.toFixed(4)}`;
  const facts: [string, string | undefined][] = [
    [t.taken, formatDate(photo.takenAt, lang)],
    [t.camera, photo.camera],
    [t.location, placeText],
    [t.folder, photo.folder],
    [t.size, `${photo.width} × ${photo.height}`],
  ];
  return (
    <dialog
      ref={dialog}
      aria-label={photo.name}
      data-photo-id={photo.id}
      onKeyDown={onKeyDown}
      className="fixed inset-0 m-0 flex h-dvh max-h-none w-full max-w-none flex-col overflow-hidden bg-neutral-950 text-neutral-100 outline-none backdrop:bg-neutral-950/90 md:flex-row"
    >
      <div
        className="relative flex min-h-0 flex-1 touch-none items-center justify-center overflow-hidden p-2 select-none md:p-6"
        data-testid="photo-stage"
        {...gestures.handlers}
      >
        {/* eslint-disable-next-line @next/next/no-img-element -- the original at its own size (the thumbnail for HEIC and TIFF, which browsers cannot show) */}
        <img
          src={photo.displayUrl}
          alt={photo.caption?.split("\n")[0] ?? photo.name}
          draggable={false}
          className="max-h-full max-w-full object-contain transition-transform duration-75"
          style={{ transform: `translate(${x}px, ${y}px) scale(${scale})` }}
          data-scale={scale}
        />
        {index >= 0 && (
          <p className="absolute top-2 left-2 rounded bg-black/60 px-2 py-0.5 text-xs text-neutral-200" aria-live="polite">
            {format(t.photoPosition, { index: index + 1, count })}
          </p>
        )}
        <button
          type="button"
          aria-label={t.previous}
          disabled={!hasPrevious}
          onClick={() => onMove(index - 1)}
          onPointerDown={(e) => e.stopPropagation()}
          className="absolute top-1/2 left-2 hidden h-11 w-11 -translate-y-1/2 items-center justify-center rounded-full bg-white/10 text-2xl hover:bg-white/20 disabled:opacity-20 sm:flex"
        >
          ‹
        </button>
        <button
          type="button"
          aria-label={t.next}
          disabled={!hasNext}
          onClick={() => onMove(index + 1)}
          onPointerDown={(e) => e.stopPropagation()}
          className="absolute top-1/2 right-2 hidden h-11 w-11 -translate-y-1/2 items-center justify-center rounded-full bg-white/10 text-2xl hover:bg-white/20 disabled:opacity-20 sm:flex"
        >
          ›
        </button>
      </div>
      <aside className="max-h-[40vh] w-full shrink-0 overflow-y-auto border-t border-white/10 bg-neutral-950 p-4 text-sm md:max-h-none md:w-80 md:border-t-0 md:border-l">
        <div className="mb-3 flex items-start justify-between gap-2">
          <h2 className="font-medium break-all">{photo.name}</h2>
          <button type="button" onClick={onClose} aria-label={t.close} className="h-11 w-11 shrink-0 rounded text-lg hover:bg-white/10">
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
        {photo.location && (
          <PhotoMap
            lat={photo.location.lat}
            lon={photo.location.lon}
            tiles={mapTiles ?? NO_TILES}
            label={format(t.takenHere, { place: placeText ?? "" })}
          />
        )}
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
            onClick={() => onSimilar(photo.id)}
            className="min-h-11 rounded-md bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-600"
          >
            {t.moreLikeThis}
          </button>
          <a
            href={photo.originalUrl}
            target="_blank"
            rel="noreferrer"
            className="inline-flex min-h-11 items-center rounded-md border border-white/20 px-3 py-1.5 hover:bg-white/10"
          >
            {t.openOriginal}
          </a>
        </div>
        {onDeleted && <DeleteControl key={photo.id} id={photo.id} onDeleted={onDeleted} t={t} />}
        {actions?.(photo.id)}
      </aside>
    </dialog>
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
