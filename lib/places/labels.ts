/**
 * How places are shown in the UI's languages, for the browser as well as the server: country names
 * come from the platform's own CLDR data (Intl.DisplayNames, in every browser and in Node's ICU),
 * so the first page ships no table of country names (i18n-iso-countries and its dependencies were
 * 22 kB of the gallery's JavaScript). The English name stored with a photo (./names, at ingest) is
 * kept as it is.
 */
import type { PlaceName } from "./types";

export type PlaceLanguage = "en" | "zh";

const displayNames = new Map<PlaceLanguage, Intl.DisplayNames>();

/** The country's name in `lang` ("Italy", "意大利"), or its code when the platform has none. */
export function countryLabel(code: string, lang: PlaceLanguage = "en"): string {
  let names = displayNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang === "zh" ? "zh-CN" : "en"], { type: "region", fallback: "code" });
    displayNames.set(lang, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code; // not a region code at all (RangeError)
  }
}

/** "Arezzo, Italy" / "Arezzo, 意大利": how a place is shown. */
export function placeLabel(place: PlaceName, lang: PlaceLanguage = "en"): string {
  const country = lang === "en" && place.country ? place.country : countryLabel(place.countryCode, lang);
  return place.city ? `${place.city}, ${country}` : country;
}
