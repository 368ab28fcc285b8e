"use client";
import { useState } from "react";
import { format, type Messages } from "@/lib/i18n/messages";
import type { Filters } from "@/lib/search/request";
import { parseNear } from "@/lib/search/url-state";
import type { Facets } from "@/lib/store/types";

/** Date range, place (a cluster of GPS photos or typed coordinates, with a radius) and folder. */
export function FilterBar({
  filters,
  facets,
  onChange,
  t,
}: {
  filters: Filters;
  facets?: Facets;
  onChange: (filters: Filters) => void;
  t: Messages;
}) {
  const near = filters.near;
  const [coordinates, setCoordinates] = useState(near ? `${near.lat}, ${near.lon}` : "");
  const [radius, setRadius] = useState(String(near?.radiusKm ?? 10));
  const set = (patch: Partial<Filters>) => onChange(JSON.parse(JSON.stringify({ ...filters, ...patch })) as Filters);
  const applyPlace = (coords: string, km: string) => set({ near: parseNear(`${coords},${km}`) });
  const placeKey = near ? `${near.lat},${near.lon}` : "";
  const input = "rounded-md border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900";
  const hasFilters = Object.keys(filters).length > 0;
  return (
    <fieldset className="flex flex-wrap items-end gap-3 text-sm" data-testid="filters">
      <legend className="sr-only">{t.filters}</legend>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.from}</span>
        <input
          type="date"
          name="from"
          value={filters.from ?? ""}
          onChange={(e) => set({ from: e.target.value || undefined })}
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.to}</span>
        <input
          type="date"
          name="to"
          value={filters.to ?? ""}
          onChange={(e) => set({ to: e.target.value || undefined })}
          className={input}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.place}</span>
        <select
          name="place"
          value={facets?.places.some((p) => `${p.lat},${p.lon}` === placeKey) ? placeKey : ""}
          className={input}
          onChange={(e) => {
            setCoordinates(e.target.value.replace(",", ", "));
            applyPlace(e.target.value, radius);
          }}
        >
          <option value="">{t.anyPlace}</option>
          {facets?.places.map((p) => (
            <option key={`${p.lat},${p.lon}`} value={`${p.lat},${p.lon}`}>
              {format(t.photosNear, { count: p.count, lat: p.lat.toFixed(2), lon: p.lon.toFixed(2) })}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.typedPlace}</span>
        <input
          name="coordinates"
          value={coordinates}
          placeholder={t.coordinatesHint}
          onChange={(e) => setCoordinates(e.target.value)}
          onBlur={() => applyPlace(coordinates, radius)}
          onKeyDown={(e) => e.key === "Enter" && applyPlace(coordinates, radius)}
          className={`${input} w-40`}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.radius}</span>
        <input
          name="radius"
          type="number"
          min={0.1}
          step="any"
          value={radius}
          onChange={(e) => setRadius(e.target.value)}
          onBlur={() => near && applyPlace(coordinates, radius)}
          className={`${input} w-24`}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-neutral-500">{t.folder}</span>
        <select name="folder" value={filters.folder ?? ""} onChange={(e) => set({ folder: e.target.value || undefined })} className={input}>
          <option value="">{t.anyFolder}</option>
          {facets?.folders.map((f) => (
            <option key={f.folder} value={f.folder}>
              {f.folder} ({f.count})
            </option>
          ))}
        </select>
      </label>
      {hasFilters && (
        <button
          type="button"
          onClick={() => {
            setCoordinates("");
            onChange({});
          }}
          className="rounded-md px-2 py-1.5 text-sky-700 hover:underline dark:text-sky-400"
        >
          {t.clearFilters}
        </button>
      )}
    </fieldset>
  );
}
