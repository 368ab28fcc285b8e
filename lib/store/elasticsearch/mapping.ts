/**
 * The app's index layout. Field names shared with the Alibaba Cloud tutorial's `image-embeddings`
 * index (`photo_id`, `image_embedding`) keep their names.
 */
import type { IndexModel } from "@/lib/store/types";

export const VECTOR_FIELD = "image_embedding";

/**
 * The analyzer for captions and tags. The standard analyzer indexes Chinese one character per token,
 * which finds words (as phrases) but ranks loosely; smartcn segments words, and icu_analyzer
 * segments by dictionary for all CJK scripts. Used when the cluster has the plugin.
 */
export type TextAnalyzer = "smartcn" | "icu_analyzer" | "standard";

export function chooseAnalyzer(plugins: string[]): TextAnalyzer {
  if (plugins.includes("analysis-smartcn")) return "smartcn";
  if (plugins.includes("analysis-icu")) return "icu_analyzer";
  return "standard";
}

/** Added to an index made before identical files were recorded, on its first write that has copies. */
export const COPIES_MAPPING = { type: "object", enabled: false } as const;

/**
 * One primary shard by default: a kNN search walks every shard's graphs, and one shard holds a
 * million photos (docs/benchmarks.md). More primaries spread indexing over more data nodes' cores,
 * which is what makes a large copy or ingest faster on a cluster (ES_SHARDS).
 */
export function indexBody(model: IndexModel, analyzer: TextAnalyzer = "standard", shards = 1) {
  const text = { type: "text", analyzer } as const;
  return {
    // One replica as soon as the cluster has a second data node (a node can die and every photo is
    // still searchable), none on a single node, where a replica could never be placed and the index
    // would stay yellow. Elasticsearch adjusts it as data nodes join or leave.
    settings: { number_of_shards: shards, auto_expand_replicas: "0-1" },
    mappings: {
      _meta: { app: "photo-search", schema: 1, model_id: model.modelId, dims: model.dims, text_analyzer: analyzer },
      dynamic: "strict" as const,
      properties: {
        photo_id: { type: "keyword" },
        root: { type: "keyword", index: false },
        path: { type: "keyword" },
        folder: { type: "keyword" },
        folder_text: { type: "text" },
        name: { type: "keyword" },
        name_text: { type: "text" },
        width: { type: "integer" },
        height: { type: "integer" },
        bytes: { type: "long" },
        mime: { type: "keyword" },
        taken_at: { type: "date" },
        location: { type: "geo_point" },
        ...placeProperties(analyzer),
        camera: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 512 } } },
        caption: text,
        tags: { ...text, fields: { keyword: { type: "keyword", ignore_above: 512 } } },
        // Extra metadata is kept verbatim and searched through one text field.
        extra: { type: "object", enabled: false },
        extra_text: text,
        url: { type: "keyword", index: false },
        // Other paths of the same bytes (identical files): kept, never searched.
        copies: COPIES_MAPPING,
        indexed_at: { type: "date" },
        [VECTOR_FIELD]: {
          type: "dense_vector",
          dims: model.dims,
          index: true,
          similarity: "cosine",
          // Explicit, so a cluster whose default differs (bbq_hnsw in 9.x) builds the same index.
          index_options: { type: "int8_hnsw" },
        },
      },
    },
  };
}

/**
 * Place names (lib/places): city, region and country as text with a keyword subfield (for facets and
 * exact filters), and every name the place goes by, Chinese included, in one text field for search.
 * An index made before places (or before regions) existed gets them added to its mapping by the next
 * ingest.
 */
export function placeProperties(analyzer: TextAnalyzer = "standard") {
  const named = { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } } as const;
  return {
    place_city: named,
    place_region: named,
    place_country: named,
    place_country_code: { type: "keyword" },
    place_names: { type: "text", analyzer },
  } as const;
}
