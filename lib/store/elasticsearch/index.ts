/** The Elasticsearch store: dense_vector kNN (int8 HNSW), BM25 full-text and geo filters. */
import type { Client } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { normalizeFilter } from "@/lib/store/filter";
import { PLACE_ZOOM } from "@/lib/store/geotile";
import { assertSameModel } from "@/lib/store/index-model";
import type { BrowseQuery, Facets, IndexModel, Page, Photo, PhotoRecord, PhotoStore, SearchFilter, StoreStatus, TextQuery, VectorQuery } from "@/lib/store/types";
import { createClient, translateError } from "./client";
import { cosineFromScore, fromDocument, SOURCE_EXCLUDES, toDocument, type PhotoDocument } from "./documents";
import { indexBody, VECTOR_FIELD } from "./mapping";
import { filterQuery, textQuery } from "./query";

/** Elasticsearch caps num_candidates at 10,000. */
const MAX_CANDIDATES = 10_000;

interface FacetAggregations {
  folders: { buckets: { key: string; doc_count: number }[] };
  places: { buckets: { key: string; doc_count: number; centre: { location: { lat: number; lon: number } } }[] };
  first: { value: number | null };
  last: { value: number | null };
}

interface Hits {
  hits: { total?: { value: number } | number; hits: { _id?: string; _score?: number | null; _source?: PhotoDocument }[] };
}

export class ElasticsearchStore implements PhotoStore {
  readonly kind = "elasticsearch" as const;
  private readonly client: Client;
  private readonly index: string;
  private version?: Promise<[number, number]>;

  constructor(private readonly settings: Config["elasticsearch"]) {
    this.client = createClient(settings);
    this.index = settings.index;
  }

  async ensureIndex(model: IndexModel): Promise<void> {
    const existing = await this.indexModel();
    if (existing) return assertSameModel(existing, model);
    await this.call(async () => {
      try {
        await this.client.indices.create({ index: this.index, ...indexBody(model) });
      } catch (error) {
        // Another process created it first: fine, as long as it holds the same model.
        if ((error as { body?: { error?: { type?: string } } }).body?.error?.type !== "resource_already_exists_exception") throw error;
      }
    });
    const created = await this.indexModel();
    if (created) assertSameModel(created, model);
  }

  async indexModel(): Promise<IndexModel | undefined> {
    return this.call(async () => {
      const exists = await this.client.indices.exists({ index: this.index });
      if (!exists) return undefined;
      const mapping = await this.client.indices.getMapping({ index: this.index });
      const mappings = Object.values(mapping)[0]?.mappings;
      const meta = mappings?._meta as { model_id?: string; dims?: number } | undefined;
      if (meta?.model_id && meta.dims) return { modelId: meta.model_id, dims: Number(meta.dims) };
      throw new AppError("model_mismatch", `index ${this.index} exists but does not record which model made its vectors (_meta.model_id)`);
    });
  }

  async upsert(records: PhotoRecord[]): Promise<void> {
    if (records.length === 0) return;
    const operations = records.flatMap((record) => [{ index: { _index: this.index, _id: record.id } }, toDocument(record)]);
    const response = await this.call(() => this.client.bulk({ operations }));
    if (response.errors) {
      const failed = response.items.find((item) => item.index?.error)?.index;
      throw new AppError("store_unavailable", `Elasticsearch rejected photo ${failed?._id}: ${failed?.error?.reason ?? failed?.error?.type}`);
    }
  }

  async refresh(): Promise<void> {
    await this.call(() => this.client.indices.refresh({ index: this.index }));
  }

  async get(id: string): Promise<Photo | undefined> {
    const doc = await this.fetch(id, { _source_excludes: SOURCE_EXCLUDES });
    return doc && fromDocument(doc);
  }

  async locate(ids: string[]): Promise<Map<string, { root: string; path: string }>> {
    const found = new Map<string, { root: string; path: string }>();
    if (ids.length === 0) return found;
    const response = await this.call(() =>
      this.client.mget<PhotoDocument>({ index: this.index, ids, _source_includes: ["root", "path"] }),
    );
    for (const doc of response.docs) {
      if ("found" in doc && doc.found && doc._source) found.set(doc._id, { root: doc._source.root, path: doc._source.path });
    }
    return found;
  }

  async getVector(id: string): Promise<Float32Array | undefined> {
    // Asked for by name: 9.2+ leaves vectors out of _source unless requested.
    const doc = await this.fetch(id, { _source_includes: [VECTOR_FIELD] });
    const values = doc?.[VECTOR_FIELD];
    return values ? Float32Array.from(values) : undefined;
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.call(() => this.client.bulk({ operations: ids.map((id) => ({ delete: { _index: this.index, _id: id } })) }));
  }

  async searchVector(query: VectorQuery): Promise<Page> {
    const total = query.offset + query.k + 1; // one extra tells whether another page exists
    if (total > MAX_CANDIDATES) throw new AppError("bad_request", `offset + k must stay below ${MAX_CANDIDATES} on Elasticsearch`);
    const filter = filterQuery(normalizeFilter(query.filter));
    const rescore = await this.supportsRescore();
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        knn: {
          field: VECTOR_FIELD,
          query_vector: Array.from(query.vector),
          k: total,
          num_candidates: Math.min(MAX_CANDIDATES, Math.max(this.settings.numCandidates, total * 2)),
          filter,
          // int8 HNSW ranks by quantized vectors; rescoring the top candidates with the stored
          // float vectors gives exact cosine scores and order (8.18+).
          ...(rescore ? { rescore_vector: { oversample: 3 } } : {}),
        },
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: SOURCE_EXCLUDES },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, cosineFromScore);
  }

  async searchText(query: TextQuery): Promise<Page> {
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        query: textQuery(query.text, normalizeFilter(query.filter)),
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: SOURCE_EXCLUDES },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, (score) => score);
  }

  async browse(query: BrowseQuery): Promise<Page> {
    const filter = filterQuery(normalizeFilter(query.filter));
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        query: filter ?? { match_all: {} },
        sort: [{ taken_at: { order: "desc", missing: "_last" } }, { indexed_at: { order: "desc" } }, { photo_id: { order: "asc" } }],
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: SOURCE_EXCLUDES },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, () => 0);
  }

  async facets(): Promise<Facets> {
    const response = await this.call(() =>
      this.client.search({
        index: this.index,
        size: 0,
        aggs: {
          folders: { terms: { field: "folder", size: 1000, order: { _key: "asc" } } },
          places: { geotile_grid: { field: "location", precision: PLACE_ZOOM, size: 1000 }, aggs: { centre: { geo_centroid: { field: "location" } } } },
          first: { min: { field: "taken_at" } },
          last: { max: { field: "taken_at" } },
        },
      }),
    );
    const aggs = response.aggregations as unknown as FacetAggregations;
    return {
      folders: aggs.folders.buckets.map((b) => ({ folder: b.key, count: b.doc_count })),
      places: aggs.places.buckets
        .map((b) => ({ lat: b.centre.location.lat, lon: b.centre.location.lon, count: b.doc_count }))
        .sort((a, b) => b.count - a.count || a.lat - b.lat),
      ...(aggs.first.value !== null ? { takenRange: { from: new Date(aggs.first.value).toISOString(), to: new Date(aggs.last.value!).toISOString() } } : {}),
    };
  }

  async count(filter?: SearchFilter): Promise<number> {
    const query = filterQuery(normalizeFilter(filter));
    return this.call(async () => {
      if (!(await this.client.indices.exists({ index: this.index }))) return 0;
      return (await this.client.count({ index: this.index, query })).count;
    });
  }

  async status(): Promise<StoreStatus> {
    try {
      const model = await this.indexModel();
      const count = model ? await this.count() : 0;
      return { kind: this.kind, reachable: true, indexExists: Boolean(model), count, model };
    } catch (error) {
      const appError = translateError(error, this.settings.node);
      const reachable = appError.code !== "store_unavailable";
      return { kind: this.kind, reachable, indexExists: false, count: 0, detail: appError.message };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private page(response: Hits, k: number, toScore: (score: number) => number): Page {
    const hits = response.hits.hits.filter((hit) => hit._source);
    return {
      hits: hits.slice(0, k).map((hit) => ({ photo: fromDocument(hit._source!), score: toScore(hit._score ?? 0) })),
      hasMore: hits.length > k,
    };
  }

  private async fetch(id: string, source: Record<string, string[]>): Promise<PhotoDocument | undefined> {
    return this.call(async () => {
      try {
        const doc = await this.client.get<PhotoDocument>({ index: this.index, id, ...source });
        return doc.found ? doc._source : undefined;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    });
  }

  private async supportsRescore(): Promise<boolean> {
    this.version ??= this.call(async () => {
      // _nodes rather than GET /: minimal distributions leave the root endpoint out.
      const nodes = await this.client.nodes.info({ node_id: "_local", metric: "_none", filter_path: "nodes.*.version" });
      const version = Object.values(nodes.nodes ?? {})[0]?.version ?? "0.0.0";
      const [major, minor] = version.split(".").map(Number);
      return [major, minor] as [number, number];
    }).catch((error) => {
      this.version = undefined; // ask again once the cluster is back
      throw error;
    });
    const [major, minor] = await this.version;
    return major > 8 || (major === 8 && minor >= 18);
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateError(error, this.settings.node);
    }
  }
}
