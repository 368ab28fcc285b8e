/** Translates the app's filters and queries into Elasticsearch query DSL. */
import type { NormalizedFilter } from "@/lib/store/filter";

type Query = Record<string, unknown>;

export function filterClauses(f: NormalizedFilter): { filter: Query[]; mustNot: Query[] } {
  const filter: Query[] = [];
  if (f.fromMs !== undefined || f.toMs !== undefined) {
    filter.push({ range: { taken_at: { gte: f.fromMs, lte: f.toMs, format: "epoch_millis" } } });
  }
  if (f.near) {
    filter.push({ geo_distance: { distance: `${f.near.radiusKm}km`, location: { lat: f.near.lat, lon: f.near.lon } } });
  }
  if (f.box) {
    filter.push({
      geo_bounding_box: {
        location: { top_left: { lat: f.box.top, lon: f.box.left }, bottom_right: { lat: f.box.bottom, lon: f.box.right } },
      },
    });
  }
  if (f.folder) {
    filter.push({ bool: { should: [{ term: { folder: f.folder } }, { prefix: { folder: `${f.folder}/` } }], minimum_should_match: 1 } });
  }
  const mustNot: Query[] = f.excludeIds.length ? [{ ids: { values: f.excludeIds } }] : [];
  return { filter, mustNot };
}

/** One bool query holding every filter clause, or undefined when there is nothing to filter. */
export function filterQuery(f: NormalizedFilter): Query | undefined {
  const { filter, mustNot } = filterClauses(f);
  if (filter.length === 0 && mustNot.length === 0) return undefined;
  return { bool: { filter, must_not: mustNot } };
}

const TEXT_FIELDS = ["caption^3", "tags^3", "name_text^2", "folder_text", "camera", "extra_text"];

/**
 * BM25 over the text fields: any word may match (like the embedded store), and an exact phrase
 * ranks higher, which matters for Chinese, where the standard analyzer indexes single characters.
 */
export function textQuery(text: string, f: NormalizedFilter): Query {
  const { filter, mustNot } = filterClauses(f);
  return {
    bool: {
      must: [{ multi_match: { query: text, fields: TEXT_FIELDS, type: "best_fields", operator: "or" } }],
      should: [{ multi_match: { query: text, fields: TEXT_FIELDS, type: "phrase", boost: 2 } }],
      filter,
      must_not: mustNot,
    },
  };
}
