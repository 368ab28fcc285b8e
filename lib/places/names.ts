/**
 * Country names for ingest and search (i18n-iso-countries: ISO 3166-1 names, CLDR-based, with every
 * other name a country goes by). Server-side: the browser labels places with ./labels instead.
 */
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";
import zh from "i18n-iso-countries/langs/zh.json";
import type { PlaceLanguage } from "./labels";
import type { PlaceName } from "./types";

countries.registerLocale(en);
countries.registerLocale(zh);

/** The country's short name in `lang` ("Italy", "意大利"), or the code when it has none. */
export function countryName(code: string, lang: PlaceLanguage = "en"): string {
  return countries.getName(code, lang, { select: "official" }) ?? countries.getName(code, "en") ?? code;
}

/**
 * Every name a place is searched by: the city, its region, the country in English and Chinese, and
 * the country's other English names ("United States", "USA"), so "Italy", "意大利", "Tuscany" and
 * "Arezzo" all match.
 */
export function placeSearchNames(place: PlaceName): string[] {
  const names = new Set<string>();
  if (place.city) names.add(place.city);
  if (place.region) names.add(place.region);
  names.add(place.country);
  for (const lang of ["en", "zh"] as const) {
    const all = countries.getName(place.countryCode, lang, { select: "all" }) as unknown as string[] | undefined;
    for (const name of all ?? []) names.add(name);
  }
  return [...names];
}

let chinese: string[] | undefined;

/** Every Chinese country name, longest first (so 中国台湾省 is found before 中国). */
export function chineseCountryNames(): string[] {
  chinese ??= Object.values(countries.getNames("zh", { select: "all" }) as unknown as Record<string, string[]>)
    .flat()
    .filter((name) => /^\p{Script=Han}+$/u.test(name))
    .sort((a, b) => b.length - a.length);
  return chinese;
}

/** The ISO code of a country named in English or Chinese ("Italy", "意大利", "italy"), if any. */
export function countryCodeOf(name: string): string | undefined {
  const trimmed = name.trim();
  return countries.getAlpha2Code(trimmed, "en") ?? countries.getAlpha2Code(trimmed, "zh") ?? undefined;
}
