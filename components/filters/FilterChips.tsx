"use client";
import { format, type Language } from "@/lib/i18n/format";
import type { Messages } from "@/lib/i18n/messages";
import type { Filters } from "@/lib/search/request";
import { roundCoordinate } from "@/lib/search/url-state";
import { countryLabel } from "@/lib/places/labels";

type Chip = { key: string; label: string; without: Filters };

/** The active filters as removable chips, in words: dates, "within 5 km of 43.47, 11.88", the map area, the country, the folder. */
export function FilterChips({
  filters,
  onChange,
  t,
  lang,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  t: Messages;
  lang: Language;
}) {
  const chips = describeFilters(filters, t, lang);
  if (chips.length === 0) return null;
  return (
    <ul aria-label={t.activeFilters} className="flex flex-wrap gap-2" data-testid="filter-chips">
      {chips.map((chip) => (
        <li
          key={chip.key}
          data-testid={`chip-${chip.key}`}
          className="inline-flex items-center gap-1 rounded-full border border-sky-300 bg-sky-50 py-0.5 pr-0.5 pl-3 text-sm text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
        >
          {chip.label}
          <button
            type="button"
            aria-label={format(t.removeFilter, { label: chip.label })}
            onClick={() => onChange(chip.without)}
            className="h-9 w-9 rounded-full hover:bg-sky-100 dark:hover:bg-sky-900"
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}

export function describeFilters(filters: Filters, t: Messages, lang: Language): Chip[] {
  const { from, to, near, folder, box, country } = filters;
  const date = (value: string) => formatDay(value, lang);
  const chips: { key: string; label: string; drop: (keyof Filters)[] }[] = [];
  const dates: (keyof Filters)[] = ["from", "to"];
  if (from && to) chips.push({ key: "dates", label: format(t.chipRange, { from: date(from), to: date(to) }), drop: dates });
  else if (from) chips.push({ key: "dates", label: format(t.chipFrom, { date: date(from) }), drop: dates });
  else if (to) chips.push({ key: "dates", label: format(t.chipTo, { date: date(to) }), drop: dates });
  if (near) {
    const number = new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 2 });
    chips.push({
      key: "near",
      label: format(t.chipNear, {
        radius: number.format(near.radiusKm),
        lat: roundCoordinate(near.lat).toFixed(2),
        lon: roundCoordinate(near.lon).toFixed(2),
      }),
      drop: ["near"],
    });
  }
  if (box) chips.push({ key: "area", label: t.mapArea, drop: ["box"] });
  if (country) chips.push({ key: "country", label: countryLabel(country, lang), drop: ["country"] });
  if (folder) chips.push({ key: "folder", label: format(t.chipFolder, { folder }), drop: ["folder"] });
  return chips.map(({ drop, ...chip }) => ({
    ...chip,
    without: Object.fromEntries(Object.entries(filters).filter(([name]) => !drop.includes(name as keyof Filters))) as Filters,
  }));
}

function formatDay(value: string, lang: Language): string {
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) return value;
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(time);
}
