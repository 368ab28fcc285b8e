"use client";
/**
 * What the server understood from the query, as removable chips: weighted terms, terms to leave
 * out, photos to look like or not like, the date range (and, once places are understood, the place).
 * Removing a chip rewrites the query without it.
 */
import { format } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { formatTerms } from "@/lib/query/terms";
import type { QueryTerm, UnderstoodQuery } from "@/lib/query/types";
import type { ViewState } from "@/lib/search/url-state";
import { useQueryImageUrl } from "../ImageChip";

const CHIP = "inline-flex items-center gap-1 rounded-full border py-0.5 pr-0.5 pl-2.5 text-sm";
const POSITIVE = `${CHIP} border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100`;
const NEGATIVE = `${CHIP} border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100`;
const NEUTRAL = `${CHIP} border-neutral-300 bg-neutral-50 dark:border-neutral-700 dark:bg-neutral-900`;

function Chip({
  className,
  label,
  removeLabel,
  onRemove,
  testId,
}: {
  className: string;
  label: React.ReactNode;
  removeLabel: string;
  onRemove: () => void;
  testId: string;
}) {
  return (
    <span className={className} data-testid={testId}>
      {label}
      <RemoveButton label={removeLabel} onRemove={onRemove} />
    </span>
  );
}

/** The query text without one term, or without the date words, or without the place. */
function rewrite(query: UnderstoodQuery, drop: { term?: QueryTerm; date?: boolean; place?: boolean }): string {
  const keep = (terms: QueryTerm[]) => terms.filter((term) => term !== drop.term);
  const terms = formatTerms({ positive: keep(query.positive), negative: keep(query.negative) });
  const date = query.dateRange && !drop.date ? query.dateRange.text : "";
  const place = query.place && !drop.place ? `in ${query.place.text}` : "";
  return [terms, place, date].filter(Boolean).join(" ");
}

function Thumb({ id }: { id: string }) {
  // eslint-disable-next-line @next/next/no-img-element -- a small thumbnail from the API
  return <img src={`/api/photos/${id}/thumbnail`} alt="" className="h-6 w-6 rounded-full object-cover" />;
}

/** The image query's thumbnail, read from this browser's store of query images. */
function QueryImageThumb({ imageId }: { imageId: string }) {
  const url = useQueryImageUrl(imageId);
  return url ? (
    // eslint-disable-next-line @next/next/no-img-element -- a local object URL
    <img src={url} alt="" className="h-6 w-6 rounded-full object-cover" />
  ) : (
    <span className="h-6 w-6 rounded-full bg-sky-200" />
  );
}

/** A photo as a term of a composed query (a result's photo, or the dropped/pasted/picked image), with its weight. */
function PhotoTermChip({
  thumb,
  label,
  testId,
  removeLabel,
  weight,
  t,
  onWeight,
  onRemove,
}: {
  thumb: React.ReactNode;
  label: string;
  testId: string;
  removeLabel: string;
  weight: number;
  t: Messages;
  onWeight: (weight: number) => void;
  onRemove: () => void;
}) {
  return (
    <span className={POSITIVE} data-testid={testId}>
      {thumb}
      {label}
      <label className="ml-1 flex items-center gap-1 text-xs">
        {t.photoWeight}
        <input
          type="number"
          min={0.1}
          max={10}
          step={0.5}
          defaultValue={weight}
          aria-label={t.photoWeight}
          className="w-14 rounded border border-sky-300 bg-white px-1 dark:border-sky-800 dark:bg-neutral-900"
          onChange={(e) => {
            const value = Number(e.target.value);
            if (value > 0 && value <= 10) onWeight(value);
          }}
        />
      </label>
      <RemoveButton label={removeLabel} onRemove={onRemove} />
    </span>
  );
}

export function QueryChips({
  query,
  view,
  t,
  onChange,
}: {
  query?: UnderstoodQuery;
  view: ViewState;
  t: Messages;
  onChange: (next: ViewState) => void;
}) {
  if (!query) return null;
  const terms = query.positive.length + query.negative.length;
  const composedLike = view.like && view.q && !view.image ? view.like : undefined;
  const composedImage = view.image && view.q ? view.image : undefined;
  if (terms === 0 && !query.dateRange && !query.place && !composedLike && !composedImage && query.images.negative.length === 0) return null;
  const setQ = (q: string) => onChange({ ...view, q: q || undefined });
  const weight = (term: QueryTerm) => (term.weight !== 1 ? ` ${format(t.termWeight, { weight: term.weight })}` : "");
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="query-chips">
      <span className="text-sm text-neutral-600 dark:text-neutral-400">{t.understood}</span>
      {query.positive.map((term) => (
        <Chip
          key={`p-${term.text}`}
          testId="chip-positive"
          className={POSITIVE}
          label={`${term.text}${weight(term)}`}
          removeLabel={format(t.removeTerm, { term: term.text })}
          onRemove={() => setQ(rewrite(query, { term }))}
        />
      ))}
      {query.negative.map((term) => (
        <Chip
          key={`n-${term.text}`}
          testId="chip-negative"
          className={NEGATIVE}
          label={`${format(t.notTerm, { term: term.text })}${weight(term)}`}
          removeLabel={format(t.removeTerm, { term: term.text })}
          onRemove={() => setQ(rewrite(query, { term }))}
        />
      ))}
      {composedLike && (
        <PhotoTermChip
          testId="chip-like"
          thumb={<Thumb id={composedLike} />}
          label={t.likePhoto}
          removeLabel={format(t.removeTerm, { term: t.likePhoto })}
          weight={view.likeWeight ?? 1}
          t={t}
          onWeight={(likeWeight) => onChange({ ...view, likeWeight })}
          onRemove={() => onChange({ ...view, like: undefined, likeWeight: undefined })}
        />
      )}
      {composedImage && (
        <PhotoTermChip
          testId="chip-image"
          thumb={<QueryImageThumb imageId={composedImage} />}
          label={t.imageQuery}
          removeLabel={t.removeImage}
          weight={view.likeWeight ?? 1}
          t={t}
          onWeight={(likeWeight) => onChange({ ...view, likeWeight })}
          onRemove={() => onChange({ ...view, image: undefined, likeWeight: undefined })}
        />
      )}
      {query.images.negative.map((image) => (
        <Chip
          key={`ni-${image.id}`}
          testId="chip-not-like"
          className={NEGATIVE}
          label={
            <>
              {image.id && <Thumb id={image.id} />}
              {t.notLikePhoto}
            </>
          }
          removeLabel={format(t.removeTerm, { term: t.notLikePhoto })}
          onRemove={() => onChange({ ...view, unlike: view.unlike?.filter((id) => id !== image.id) })}
        />
      ))}
      {query.dateRange && (
        <Chip
          testId="chip-date"
          className={NEUTRAL}
          label={`📅 ${format(t.dateChip, { text: query.dateRange.text, from: query.dateRange.from, to: query.dateRange.to })}`}
          removeLabel={format(t.removeTerm, { term: query.dateRange.text })}
          onRemove={() => setQ(rewrite(query, { date: true }))}
        />
      )}
      {query.place && (
        <Chip
          testId="chip-place"
          className={NEUTRAL}
          label={`📍 ${query.place.text}`}
          removeLabel={format(t.removeTerm, { term: query.place.text })}
          onRemove={() => setQ(rewrite(query, { place: true }))}
        />
      )}
    </div>
  );
}

/** The ✕ that removes one chip (its label names what it removes). */
function RemoveButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <button type="button" aria-label={label} onClick={onRemove} className="rounded-full px-1.5 hover:bg-black/10 dark:hover:bg-white/10">
      ✕
    </button>
  );
}
