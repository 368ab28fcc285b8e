/** Translates the app's filters and queries into Elasticsearch query DSL for an index profile. */
import { badRequest } from "@/lib/errors";
import type { NormalizedFilter } from "@/lib/store/filter";
import type { IndexProfile, Query } from "./profiles";

const MAX_NAME_WORDS = 8;

/**
 * File names kept as `keyword` only (the generator's image_name, relative_path) match a word by
 * case-insensitive prefix or anywhere inside, without changing the mapping; a `*` the user typed
 * is a wildcard, everything else literal.
 */
function nameClauses(text: string, fields: string[]): Query[] {
  const words = text.split(/\s+/).filter(Boolean).slice(0, MAX_NAME_WORDS);
  const terms = words.length > 1 ? [...words, text.trim().slice(0, 200)] : words;
  return fields.flatMap((field) =>
    terms.flatMap((term) => {
      const literal = term.replace(/[\\?]/g, "\\$&");
      if (literal.includes("*")) return [{ wildcard: { [field]: { value: literal, case_insensitive: true, boost: 2 } } }];
      return [
        { prefix: { [field]: { value: term, case_insensitive: true, boost: 3 } } },
        { wildcard: { [field]: { value: `*${literal}*`, case_insensitive: true, boost: 1 } } },
      ];
    }),
  );
}

function requireField(field: string | undefined, what: string, profile: IndexProfile): string {
  if (!field) throw badRequest(`this index (${profile.name} layout) has no ${what} to filter on`);
  return field;
}

export function filterClauses(f: NormalizedFilter, profile: IndexProfile): { filter: Query[]; mustNot: Query[] } {
  const filter: Query[] = [];
  if (f.fromMs !== undefined || f.toMs !== undefined) {
    const field = requireField(profile.dateField, "capture dates", profile);
    filter.push({ range: { [field]: { gte: f.fromMs, lte: f.toMs, format: "epoch_millis" } } });
  }
  if (f.near) {
    const field = requireField(profile.locationField, "locations", profile);
    filter.push({ geo_distance: { distance: `${f.near.radiusKm}km`, [field]: { lat: f.near.lat, lon: f.near.lon } } });
  }
  if (f.box) {
    const field = requireField(profile.locationField, "locations", profile);
    filter.push({
      geo_bounding_box: {
        [field]: { top_left: { lat: f.box.top, lon: f.box.left }, bottom_right: { lat: f.box.bottom, lon: f.box.right } },
      },
    });
  }
  if (f.country) filter.push({ term: { [requireField(profile.countryField, "place names", profile)]: f.country } });
  if (f.folder) {
    if (!profile.folders) throw badRequest(`this index (${profile.name} layout) has no folders to filter on`);
    filter.push(profile.folders.filter(f.folder));
  }
  const mustNot: Query[] = f.excludeIds.length ? [{ terms: { [profile.idField]: f.excludeIds } }] : [];
  return { filter, mustNot };
}

/** One bool query holding every filter clause, or undefined when there is nothing to filter. */
export function filterQuery(f: NormalizedFilter, profile: IndexProfile): Query | undefined {
  const { filter, mustNot } = filterClauses(f, profile);
  if (filter.length === 0 && mustNot.length === 0) return undefined;
  return { bool: { filter, must_not: mustNot } };
}

/**
 * BM25 over the profile's text fields: any word may match (like the embedded store), and an exact
 * phrase ranks higher, which matters for Chinese, where the standard analyzer indexes single
 * characters.
 */
export function textQuery(text: string, f: NormalizedFilter, profile: IndexProfile): Query {
  const { filter, mustNot } = filterClauses(f, profile);
  const fields = profile.textFields;
  const words: Query = { multi_match: { query: text, fields, type: "best_fields", operator: "or" } };
  const names = profile.nameFields ? nameClauses(text, profile.nameFields) : [];
  return {
    bool: {
      must: [names.length ? { bool: { should: [words, ...names], minimum_should_match: 1 } } : words],
      should: [{ multi_match: { query: text, fields, type: "phrase", boost: 2 } }],
      filter,
      must_not: mustNot,
    },
  };
}
