/**
 * Places named in the query ("street in Arezzo", "photos from Italy", "意大利的街道", "在芬兰") become
 * a place filter plus the rest of the text. Only an explicit place phrase is read (a preposition,
 * or 在…/…的 in Chinese), so a bare word that happens to be a town ("Street", in Somerset) stays a
 * word. English city names must be capitalised as typed unless the city is large, which keeps
 * "a dog in snow" a query about snow. Cities filter by a radius that grows with their size;
 * countries by the country stored with each photo's place.
 */
import { findPlaceByName, type NamedPlace } from "@/lib/places";
import { chineseCountryNames } from "@/lib/places/names";
import type { PlaceTerm } from "./types";

const PREPOSITION = /(?:^|\s)(?:in|at|near|around|from)\s+/gi;
const MAX_PLACE_WORDS = 4;
/** Cities this large are read even when typed in lower case ("street in paris"). */
const LARGE_CITY = 100_000;

export function radiusKmOf(population: number): number {
  if (population >= 1_000_000) return 40;
  return population >= 100_000 ? 20 : 10;
}

function toTerm(place: NamedPlace): PlaceTerm {
  if (place.kind === "country") return { text: place.name, country: place.countryCode };
  return { text: place.name, near: { lat: place.lat, lon: place.lon, radiusKm: radiusKmOf(place.population) } };
}

function plausible(typed: string, place: NamedPlace): boolean {
  if (place.kind === "country") return true;
  return /^\p{Lu}/u.test(typed) || place.population >= LARGE_CITY;
}

/** The longest run of words right after a preposition that names a place, last preposition first. */
function englishPlace(text: string): { place: PlaceTerm; rest: string } | undefined {
  const starts = [...text.matchAll(PREPOSITION)].reverse();
  for (const match of starts) {
    const after = text.slice(match.index + match[0].length);
    const words = after.split(/\s+/).filter(Boolean);
    for (let n = Math.min(MAX_PLACE_WORDS, words.length); n > 0; n--) {
      const typed = words
        .slice(0, n)
        .join(" ")
        .replace(/[,.;!?]+$/, "");
      const place = findPlaceByName(typed);
      if (!place || !plausible(typed, place)) continue;
      const rest = `${text.slice(0, match.index)} ${words.slice(n).join(" ")}`.replace(/\s+/g, " ").trim();
      return { place: toTerm(place), rest };
    }
  }
  return undefined;
}

/** A Chinese country name, with 在 before it or 的 after it ("在意大利", "意大利的街道"). */
function chinesePlace(text: string): { place: PlaceTerm; rest: string } | undefined {
  for (const name of chineseCountryNames()) {
    const at = new RegExp(`在\\s*${name}(?:的)?|${name}的`).exec(text);
    if (!at) continue;
    const place = findPlaceByName(name);
    if (!place) continue;
    const rest = `${text.slice(0, at.index)} ${text.slice(at.index + at[0].length)}`.replace(/\s+/g, " ").trim();
    return { place: toTerm(place), rest };
  }
  return undefined;
}

export function extractPlace(text: string): { place?: PlaceTerm; rest: string } {
  if (!text.trim()) return { rest: text };
  return englishPlace(text) ?? chinesePlace(text) ?? { rest: text };
}
