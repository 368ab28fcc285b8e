"use client";
/**
 * The duplicates review: groups by class with a threshold preview (each change asks again; the server
 * only regroups the neighbour graph it keeps until the library changes), each photo's paths, and
 * "remove from library" for the selected photos when the viewer may write. While the server builds
 * the graph (minutes at 100k photos) it answers with its progress: the page shows it, keeps the last
 * review (dimmed) and asks again.
 */
import { useState } from "react";
import Link from "next/link";
import useSWR from "swr";
import {
  duplicatesUrl,
  fetchDuplicates,
  removeFromLibrary,
  withoutPhotos,
  type DuplicatesView,
  type GraphBuilding,
  type Thresholds,
} from "@/lib/duplicates/client";
import type { DuplicatesMessages } from "@/lib/i18n/duplicates";
import { errorText, format, plural, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { ApiError } from "@/lib/search/client";

const DEFAULTS: Thresholds = { near: 0.95, hash: 10, burst: 0.85, seconds: 30 };
/** How soon to ask again while the graph is being built (the server itself waits up to 2 s for it). */
const POLL_MS = 1_000;

type Group = DuplicatesView["groups"][number];

export function DuplicatesReview({ d, t, lang, canWrite }: { d: DuplicatesMessages; t: Messages; lang: Language; canWrite: boolean }) {
  const [thresholds, setThresholds] = useState(DEFAULTS);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string>();
  const {
    data: answer,
    error,
    isLoading,
    mutate,
  } = useSWR(duplicatesUrl(thresholds), fetchDuplicates, {
    keepPreviousData: true,
    revalidateOnFocus: false,
    refreshInterval: (latest) => (latest && "building" in latest ? POLL_MS : 0),
  });
  const building = answer && "building" in answer ? answer.building : undefined;
  // The last review stays on screen (dimmed) while a newer one is being built.
  const [lastReview, setLastReview] = useState<DuplicatesView>();
  if (answer && !("building" in answer) && answer !== lastReview) setLastReview(answer);
  const data = lastReview;

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const remove = async () => {
    try {
      const { removed } = await removeFromLibrary([...selected]);
      setSelected(new Set());
      setLastReview((review) => review && withoutPhotos(review, removed));
      setNotice(format(d.removed, { count: removed.length }));
      await mutate();
    } catch (e) {
      setNotice(errorText(t, e instanceof ApiError ? e.code : "", (e as Error).message));
    }
  };

  const failure = error ? errorText(t, error instanceof ApiError ? error.code : "", (error as Error).message) : undefined;
  return (
    <main className="mx-auto max-w-6xl px-4 py-6 text-neutral-900 dark:text-neutral-100">
      <div className="mb-2 flex items-baseline justify-between gap-4">
        <h1 className="text-xl font-semibold">{d.title}</h1>
        <Link href="/" className="text-sm text-blue-600 hover:underline dark:text-blue-400">
          {d.back}
        </Link>
      </div>
      <p className="mb-4 max-w-3xl text-sm text-neutral-600 dark:text-neutral-400">{d.intro}</p>
      <ThresholdControls d={d} value={thresholds} onChange={setThresholds} />
      <div className="my-4 flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="duplicates-summary" className="text-neutral-600 dark:text-neutral-400">
          {data
            ? plural(lang, d.summary, data.groups.length, {
                identical: data.byClass.identical ?? 0,
                near: data.byClass["near-identical"] ?? 0,
                burst: data.byClass.burst ?? 0,
              })
            : isLoading || building
              ? d.loading
              : ""}
        </span>
        {canWrite ? (
          <button
            type="button"
            disabled={selected.size === 0}
            onClick={remove}
            className="rounded-md bg-red-600 px-3 py-1 text-white disabled:opacity-40"
          >
            {format(d.removeSelected, { count: selected.size })}
          </button>
        ) : (
          <span className="text-neutral-600 dark:text-neutral-400">{d.signInToRemove}</span>
        )}
        {notice && (
          <span role="status" className="text-neutral-600 dark:text-neutral-300">
            {notice}
          </span>
        )}
      </div>
      {building && <BuildProgress d={d} lang={lang} progress={building} />}
      {failure && (
        <p role="alert" className="text-red-600">
          {failure}
        </p>
      )}
      {data && data.groups.length === 0 && <p className="text-neutral-600 dark:text-neutral-400">{d.none}</p>}
      <ol className={`space-y-4 ${building ? "opacity-60" : ""}`} aria-busy={Boolean(building)}>
        {data?.groups.map((group) => (
          <GroupCard
            key={group.photos.map((p) => p.id).join()}
            group={group}
            d={d}
            selected={selected}
            onToggle={toggle}
            canWrite={canWrite}
          />
        ))}
      </ol>
    </main>
  );
}

/** How far the server's neighbour graph has got: a bar with the phase and the count. */
function BuildProgress({ d, lang, progress }: { d: DuplicatesMessages; lang: Language; progress: GraphBuilding["building"] }) {
  const number = new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en");
  const label = format(progress.phase === "indexing" ? d.indexing : d.comparing, {
    done: number.format(progress.done),
    total: number.format(progress.total),
  });
  return (
    <div role="status" data-testid="duplicates-progress" className="mb-4 max-w-xl text-sm text-neutral-600 dark:text-neutral-400">
      <p className="font-medium text-neutral-800 dark:text-neutral-200">{label}</p>
      <progress className="my-1 h-2 w-full" aria-label={label} max={Math.max(progress.total, 1)} value={progress.done} />
      <p>{d.buildingNote}</p>
    </div>
  );
}

function ThresholdControls({ d, value, onChange }: { d: DuplicatesMessages; value: Thresholds; onChange: (t: Thresholds) => void }) {
  const slider = (key: keyof Thresholds, min: number, max: number, step: number, label: string) => (
    <label className="flex items-center gap-2">
      <span>{label}</span>
      <input
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={value[key]}
        onChange={(e) => onChange({ ...value, [key]: Number(e.target.value) })}
      />
      <output className="w-10 tabular-nums">{value[key]}</output>
    </label>
  );
  return (
    <fieldset className="flex flex-wrap gap-x-6 gap-y-2 rounded-lg border border-neutral-200 p-3 text-sm dark:border-neutral-800">
      {slider("near", 0.8, 1, 0.01, d.near)}
      {slider("hash", 0, 32, 1, format(d.hash, { bits: value.hash }))}
      {slider("burst", 0.7, 1, 0.01, d.burstCosine)}
      {slider("seconds", 0, 600, 5, format(d.seconds, { seconds: value.seconds }))}
    </fieldset>
  );
}

function GroupCard({
  group,
  d,
  selected,
  onToggle,
  canWrite,
}: {
  group: Group;
  d: DuplicatesMessages;
  selected: Set<string>;
  onToggle: (id: string) => void;
  canWrite: boolean;
}) {
  const label = d.classes[group.class] ?? group.class;
  return (
    <li data-testid="duplicate-group" data-class={group.class} className="rounded-lg border border-neutral-200 p-3 dark:border-neutral-800">
      <div className="mb-2 flex items-center gap-3 text-sm">
        <span className="rounded-full bg-neutral-900 px-2 py-0.5 text-xs font-medium text-white dark:bg-neutral-100 dark:text-neutral-900">
          {label}
        </span>
        {group.class !== "identical" && (
          <span className="text-neutral-600 dark:text-neutral-400">{format(d.similarity, { value: group.minCosine })}</span>
        )}
      </div>
      <ul className="flex flex-wrap gap-3">
        {group.photos.map((photo) => (
          <li key={photo.id} className="w-44 text-xs">
            <label className="block cursor-pointer">
              {/* eslint-disable-next-line @next/next/no-img-element -- thumbnails come from the app's own route */}
              <img
                src={`/api/photos/${encodeURIComponent(photo.id)}/thumbnail`}
                alt={photo.name}
                className={`h-32 w-44 rounded object-cover ${selected.has(photo.id) ? "ring-4 ring-red-500" : ""}`}
              />
              <span className="mt-1 flex items-start gap-1">
                {canWrite && (
                  <input
                    type="checkbox"
                    aria-label={format(d.select, { name: photo.name })}
                    checked={selected.has(photo.id)}
                    onChange={() => onToggle(photo.id)}
                  />
                )}
                <span className="break-all">{photo.name}</span>
              </span>
            </label>
            {photo.paths.length > 1 && (
              <p className="mt-1 text-neutral-600 dark:text-neutral-400">{format(d.paths, { count: photo.paths.length })}</p>
            )}
            <ul className="text-neutral-600 dark:text-neutral-400" data-testid="photo-paths">
              {photo.paths.map((p) => (
                <li key={p} className="break-all" title={p}>
                  {p}
                </li>
              ))}
            </ul>
            {photo.takenAt && <p className="text-neutral-400">{photo.takenAt.replace("T", " ").slice(0, 19)}</p>}
          </li>
        ))}
      </ul>
    </li>
  );
}
