"use client";
import { useState } from "react";
import { format, plural, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import { placeLabel } from "@/lib/places/labels";
import type { Filters } from "@/lib/search/request";
import { parseNear, roundCoordinate } from "@/lib/search/url-state";
import type { Facets } from "@/lib/store/types";

/**
 * Date range, place (a cluster of GPS photos or typed coordinates, with a radius) and folder. Typed
 * text that is not coordinates is explained, not ignored; the radius only applies once there is a
 * place; a date filter says that undated photos are left out.
 */
export function FilterBar({
  filters,
  facets,
  onChange,
  t,
  lang,
}: {
  filters: Filters;
  facets?: Facets;
  onChange: (filters: Filters) => void;
  t: Messages;
  lang: Language;
}) {
  const near = filters.near;
  const [coordinates, setCoordinates] = useState(near ? `${roundCoordinate(near.lat)}, ${roundCoordinate(near.lon)}` : "");
  const [radius, setRadius] = useState(String(near?.radiusKm ?? 10));
  const [invalid, setInvalid] = useState(false);
  const set = (patch: Partial<Filters>) => onChange(JSON.parse(JSON.stringify({ ...filters, ...patch })) as Filters);
  const applyPlace = (coords: string, km: string) => {
    const parsed = parseNear(`${coords},${km}`);
    const validPlace = parsed && Math.abs(parsed.lat) <= 90 && Math.abs(parsed.lon) <= 180 && parsed.radiusKm > 0;
    setInvalid(coords.trim() !== "" && !validPlace);
    if (validPlace || coords.trim() === "") set({ near: validPlace ? parsed : undefined });
  };
  const placeKey = near ? `${roundCoordinate(near.lat)},${roundCoordinate(near.lon)}` : "";
  const placeValue = (p: { lat: number; lon: number }) => `${roundCoordinate(p.lat)},${roundCoordinate(p.lon)}`;
  const input = "min-h-11 rounded-md border border-neutral-400 bg-white px-2 py-1.5 sm:min-h-9 dark:border-neutral-600 dark:bg-neutral-900";
  const label = "text-neutral-700 dark:text-neutral-300";
  const hasFilters = Object.keys(filters).length > 0;
  return (
    <fieldset className="flex flex-wrap items-end gap-3 text-sm" data-testid="filters">
      <legend className="sr-only">{t.filters}</legend>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.from}</span>
        <input
          type="date"
          name="from"
          value={filters.from ?? ""}
          onChange={(e) => set({ from: e.target.value || undefined })}
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.to}</span>
        <input
          type="date"
          name="to"
          value={filters.to ?? ""}
          onChange={(e) => set({ to: e.target.value || undefined })}
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.place}</span>
        <select
          name="place"
          value={facets?.places.some((p) => placeValue(p) === placeKey) ? placeKey : ""}
          className={input}
          onChange={(e) => {
            setCoordinates(e.target.value.replace(",", ", "));
            applyPlace(e.target.value, radius);
          }}
        >
          <option value="">{t.anyPlace}</option>
          {facets?.places.map((p) => (
            <option key={placeValue(p)} value={placeValue(p)}>
              {p.place
                ? format(t.photosIn, { count: p.count, place: placeLabel(p.place, lang) })
                : plural(lang, t.photosNear, p.count, { lat: p.lat.toFixed(2), lon: p.lon.toFixed(2) })}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.typedPlace}</span>
        <input
          name="coordinates"
          value={coordinates}
          placeholder={t.coordinatesHint}
          onChange={(e) => setCoordinates(e.target.value)}
          onBlur={() => applyPlace(coordinates, radius)}
          onKeyDown={(e) => e.key === "Enter" && applyPlace(coordinates, radius)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? "coordinates-error" : undefined}
          className={`${input} w-40 aria-invalid:border-red-600`}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.radius}</span>
        <input
          name="radius"
          type="number"
          min={0.1}
          step="any"
          value={radius}
          onChange={(e) => setRadius(e.target.value)}
          onBlur={() => near && applyPlace(coordinates, radius)}
          disabled={!near && !coordinates.trim()}
          title={near ? undefined : t.radiusNeedsPlace}
          className={`${input} w-24 disabled:opacity-60`}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className={label}>{t.folder}</span>
        <select name="folder" value={filters.folder ?? ""} onChange={(e) => set({ folder: e.target.value || undefined })} className={input}>
          <option value="">{t.anyFolder}</option>
          {facets?.folders.map((f) => (
            <option key={f.folder} value={f.folder}>
              {`${f.folder} (${f.count})`}
            </option>
          ))}
        </select>
      </label>
      {hasFilters && (
        <button
          type="button"
          onClick={() => {
            setCoordinates("");
            setInvalid(false);
            onChange({});
          }}
          className="min-h-11 rounded-md px-2 py-1.5 text-sky-800 hover:underline sm:min-h-9 dark:text-sky-300"
        >
          {t.clearFilters}
        </button>
      )}
      {invalid && (
        <p id="coordinates-error" role="alert" className="basis-full text-red-700 dark:text-red-300">
          {t.coordinatesInvalid}
        </p>
      )}
      {(filters.from || filters.to) && (
        <p className="basis-full text-neutral-700 dark:text-neutral-300" data-testid="undated-note">
          {t.undatedLeftOut}
        </p>
      )}
    </fieldset>
  );
}
