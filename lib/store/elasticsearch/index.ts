/** The Elasticsearch store: dense_vector kNN (int8 HNSW), BM25 full-text and geo filters. */
import type { Client, estypes } from "@elastic/elasticsearch";
import type { Config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { normalizeFilter } from "@/lib/store/filter";
import { PLACE_ZOOM } from "@/lib/store/geotile";
import { ancestorsWithPrefix, innerRootPrefix, isInFolder, normalizeFolder } from "@/lib/store/locations";
import { assertSameModel, sameModel } from "@/lib/store/index-model";
import { asUnitVector } from "@/lib/vector";
import type {
  BrowseQuery,
  BulkLoadSettings,
  ClusterQuery,
  PlaceCluster,
  StoredLocation,
  Facets,
  IndexModel,
  IndexPlace,
  Neighbourhood,
  NeighbourProgress,
  Page,
  Photo,
  PhotoRecord,
  PhotoStore,
  SearchFilter,
  StoreStatus,
  TextQuery,
  VectorQuery,
} from "@/lib/store/types";
import { createClient, translateError } from "./client";
import { cosineFromScore, toDocument } from "./documents";
import { chooseAnalyzer, COPIES_MAPPING, indexBody, placeProperties, type TextAnalyzer } from "./mapping";
import { APP_PROFILE, detectProfile, photoIdOf, profileByName, type IndexProfile } from "./profiles";
import { filterQuery, textQuery } from "./query";

/** Bulk writes refused for a passing reason (a node left, a queue full) are tried this many times. */
const UPSERT_ATTEMPTS = 5;
/** While migrate copies a library in (prepareBulkLoad): never refreshed, no replica. */
const BULK_LOAD_SETTINGS = {
  "index.refresh_interval": "-1",
  "index.auto_expand_replicas": "false",
  "index.number_of_replicas": "0",
} as const;
/** Photos read per page of a neighbour pass (scan with search_after: no 10,000-hit window). */
const NEIGHBOUR_PAGE = 500;
/**
 * kNN searches per _msearch request of a neighbour pass, and such requests in flight: one HTTP round
 * trip and one JSON answer per batch instead of per photo, while the cluster runs a batch's searches
 * side by side on its search threads.
 */
const NEIGHBOUR_BATCH = 50;
const NEIGHBOUR_BATCHES_IN_FLIGHT = 2;
/**
 * HNSW candidates per search of a neighbour pass (at least twice the neighbours asked): a review
 * looks for each photo's closest few, which a narrow beam finds (rescoring then gives exact cosines);
 * ES_NUM_CANDIDATES stays the setting for ordinary searches. 40 instead of 100 halved the pass at 10k
 * photos with every planted group still found (docs/search-understanding.md, Duplicates).
 */
const NEIGHBOUR_CANDIDATES = 40;
/** A batch the cluster turned away for a passing reason (search queue full, shard moving) is asked again this often. */
const NEIGHBOUR_ATTEMPTS = 4;

/** Elasticsearch caps num_candidates at 10,000. */
const MAX_CANDIDATES = 10_000;
/** Relative paths read for the folder facet of an index without a folder field, per request and in all. */
const FACET_PAGE = 5_000;
const MAX_FACET_PATHS = 100_000;

interface FacetAggregations {
  folders: { buckets: { key: string; doc_count: number }[] };
  places: ClusterBuckets;
  first: { value: number | null };
  last: { value: number | null };
  years: { buckets: { key: number; doc_count: number }[] };
}

type Source = Record<string, unknown>;

interface ClusterBuckets {
  buckets: {
    key: string;
    doc_count: number;
    centre: { location: { lat: number; lon: number } };
    photo: { hits: { hits: { _id?: string; _source?: Source }[] } };
  }[];
}

/** Elasticsearch's geotile_grid answers at most this many tiles per request. */
const MAX_CLUSTERS = 2_000;

interface Hits {
  hits: { total?: { value: number } | number; hits: { _id?: string; _score?: number | null; _source?: Source }[] };
}

interface IndexInfo {
  profile: IndexProfile;
  model: IndexModel;
}

export class ElasticsearchStore implements PhotoStore {
  readonly kind = "elasticsearch" as const;
  private readonly client: Client;
  private readonly index: string;
  private version?: Promise<[number, number]>;
  private info?: Promise<IndexInfo | undefined>;
  private rrf?: Promise<boolean>;

  readonly place: IndexPlace;

  constructor(private readonly settings: Config["elasticsearch"]) {
    this.client = createClient(settings);
    this.index = settings.index;
    this.place = { name: `index ${settings.index} (ES_INDEX)`, fresh: "set ES_INDEX to a new index name for the new model" };
  }

  async ensureIndex(model: IndexModel): Promise<void> {
    const existing = await this.indexModel();
    if (existing && sameModel(existing, model)) return this.addPlaceFields();
    if (existing) await this.dropIfUnbound(existing, model);
    this.info = undefined;
    await this.call(async () => {
      try {
        await this.client.indices.create({ index: this.index, ...indexBody(model, await this.textAnalyzer(), this.settings.shards) });
      } catch (error) {
        // Another process created it first: fine, as long as it holds the same model.
        if ((error as { body?: { error?: { type?: string } } }).body?.error?.type !== "resource_already_exists_exception") throw error;
      }
    });
    this.info = undefined;
    const created = await this.indexModel();
    if (created) assertSameModel(created, model, this.place);
  }

  /**
   * The app's own index made before places (or regions) existed lacks place fields, and its strict
   * mapping would refuse photos that carry them: they are added (adding fields to a mapping is
   * allowed, the existing ones are given again unchanged; the names arrive with the next ingest).
   */
  private async addPlaceFields(): Promise<void> {
    if (!(await this.profile()).writable) return;
    await this.call(async () => {
      const mapping = await this.client.indices.getMapping({ index: this.index });
      const mappings = Object.values(mapping)[0]?.mappings;
      if (mappings?.properties?.place_region) return;
      const analyzer = ((mappings?._meta as { text_analyzer?: TextAnalyzer } | undefined)?.text_analyzer ?? "standard") as TextAnalyzer;
      await this.client.indices.putMapping({ index: this.index, properties: placeProperties(analyzer) as never });
    });
  }

  /**
   * The app's own index that holds no photos is not bound yet (a first run that indexed nothing):
   * it is deleted, to be made again for the new model. Anything else refuses the other model.
   */
  private async dropIfUnbound(existing: IndexModel, model: IndexModel): Promise<void> {
    const { profile } = (await this.describe())!;
    if (profile.writable) await this.refresh();
    if (!profile.writable || (await this.count()) > 0) return assertSameModel(existing, model, this.place);
    await this.call(() => this.client.indices.delete({ index: this.index }, { ignore: [404] }));
  }

  async indexModel(): Promise<IndexModel | undefined> {
    return (await this.describe())?.model;
  }

  /**
   * The index's layout and model, read from its mapping once (and again after a failure): the app's
   * own index records its model in _meta; an index made elsewhere is recognised by its fields.
   */
  private describe(): Promise<IndexInfo | undefined> {
    this.info ??= this.call(async () => {
      const exists = await this.client.indices.exists({ index: this.index });
      if (!exists) return undefined;
      const mapping = await this.client.indices.getMapping({ index: this.index });
      const mappings = Object.values(mapping)[0]?.mappings;
      const meta = mappings?._meta as { model_id?: string; dims?: number; app?: string } | undefined;
      const properties = (mappings?.properties ?? {}) as Record<string, { type?: string; dims?: number }>;
      const configured = this.settings.indexProfile;
      const profile =
        configured === "auto"
          ? detectProfile(meta, properties, this.settings.imageRoot)
          : profileByName(configured, this.settings.imageRoot);
      if (!profile) {
        throw new AppError(
          "model_mismatch",
          `index ${this.index} was not made by this app and its layout is not one this app knows (set ES_INDEX_PROFILE or ES_INDEX)`,
        );
      }
      if (profile.writable) {
        if (meta?.model_id && meta.dims) return { profile, model: { modelId: meta.model_id, dims: Number(meta.dims) } };
        throw new AppError(
          "model_mismatch",
          `index ${this.index} exists but does not record which model made its vectors (_meta.model_id)`,
        );
      }
      const dims = Number(properties[profile.vectorField]?.dims);
      if (!dims) throw new AppError("model_mismatch", `index ${this.index} has no dense_vector field ${profile.vectorField}`);
      return {
        profile,
        model: { modelId: meta?.model_id ?? `unrecorded (${profile.name} layout)`, dims, recorded: Boolean(meta?.model_id) },
      };
    }).then(
      (info) => {
        // Only a found index is remembered: another process (the ingest CLI) may create it any time.
        if (!info) this.info = undefined;
        return info;
      },
      (error) => {
        this.info = undefined;
        throw error;
      },
    );
    return this.info;
  }

  /** The best analyzer for CJK captions that this cluster's plugins offer (checked at index creation). */
  private async textAnalyzer(): Promise<TextAnalyzer> {
    try {
      const nodes = await this.client.nodes.info({ metric: "plugins", filter_path: "nodes.*.plugins.name" });
      const plugins = Object.values(nodes.nodes ?? {}).flatMap((node) => (node.plugins ?? []).map((p) => p.name));
      return chooseAnalyzer(plugins);
    } catch {
      return "standard"; // e.g. no monitor privilege: the standard analyzer works everywhere
    }
  }

  private async profile(): Promise<IndexProfile> {
    return (await this.describe())?.profile ?? APP_PROFILE;
  }

  private async writableProfile(): Promise<IndexProfile> {
    const profile = await this.profile();
    if (!profile.writable) {
      throw new AppError(
        "bad_request",
        `index ${this.index} has the ${profile.name} layout and is searched read-only; ingest into an index of this app's own (another ES_INDEX)`,
      );
    }
    return profile;
  }

  async upsert(records: PhotoRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.writableProfile();
    if (records.some((r) => r.copies?.length)) await this.mapCopies();
    let pending = records;
    for (let attempt = 1; ; attempt++) {
      const operations = pending.flatMap((record) => [{ index: { _index: this.index, _id: record.id } }, toDocument(record)]);
      const response = await this.call(() => this.client.bulk({ operations }));
      if (!response.errors) return;
      // 429 (queue full) and 503 (the shard's primary is on a node that just left, a replica is being
      // promoted) pass; those photos are written again, by id, so none is written twice.
      const failed = response.items.map((item, i) => ({ item: item.index, record: pending[i]! })).filter(({ item }) => item?.error);
      const fatal = failed.find(({ item }) => item!.status !== 429 && item!.status !== 503);
      if (fatal || attempt >= UPSERT_ATTEMPTS) {
        const item = (fatal ?? failed[0]!).item!;
        throw new AppError("store_unavailable", `Elasticsearch rejected photo ${item._id}: ${item.error?.reason ?? item.error?.type}`);
      }
      pending = failed.map(({ record }) => record);
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }

  private copiesMapped?: Promise<unknown>;

  /** An index made before identical files were recorded gets the field (strict mapping); adding it again is a no-op. */
  private mapCopies(): Promise<unknown> {
    this.copiesMapped ??= this.call(() =>
      this.client.indices.putMapping({ index: this.index, properties: { copies: COPIES_MAPPING } }),
    ).catch((error: unknown) => {
      this.copiesMapped = undefined;
      throw error;
    });
    return this.copiesMapped;
  }

  /**
   * For a bulk copy (migrate): no refresh until it ends (each refresh writes a small segment that
   * merges rewrite, HNSW graph included), and no replica, so every photo is indexed once; when the
   * settings are restored, Elasticsearch copies the finished segments to the replica as files.
   */
  async prepareBulkLoad(): Promise<BulkLoadSettings | undefined> {
    await this.writableProfile();
    const response = await this.call(() => this.client.indices.getSettings({ index: this.index, flat_settings: true }));
    const current = (Object.values(response)[0]?.settings ?? {}) as Record<string, unknown>;
    const previous: BulkLoadSettings = {};
    for (const name of Object.keys(BULK_LOAD_SETTINGS)) {
      const value = current[name];
      previous[name] = value === undefined || value === null ? null : String(value);
    }
    await this.call(() => this.client.indices.putSettings({ index: this.index, settings: BULK_LOAD_SETTINGS }));
    return previous;
  }

  async finishBulkLoad(previous: BulkLoadSettings): Promise<void> {
    await this.call(() => this.client.indices.putSettings({ index: this.index, settings: previous }));
  }

  async refresh(): Promise<void> {
    await this.call(() => this.client.indices.refresh({ index: this.index }));
  }

  async get(id: string): Promise<Photo | undefined> {
    const profile = await this.profile();
    const doc = await this.fetch(id, profile, false);
    return doc && profile.toPhoto(doc.id, doc.source);
  }

  async locate(ids: string[]): Promise<Map<string, StoredLocation>> {
    const found = new Map<string, StoredLocation>();
    if (ids.length === 0 || !(await this.describe())) return found;
    const profile = await this.profile();
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        query: { terms: { [profile.idField]: ids } },
        size: ids.length,
        _source: { excludes: [profile.vectorField] },
      }),
    )) as unknown as Hits;
    for (const hit of response.hits.hits) {
      const photo = profile.toPhoto(hit._id!, hit._source ?? {});
      // Placed before regions were stored: the next ingest adds the region (lib/ingest's placeUpdate).
      const unplaced = profile.writable && photo.location !== undefined && photo.place?.region === undefined;
      found.set(photo.id, { root: photo.root, path: photo.path, ...(unplaced ? { unplaced: true } : {}) });
    }
    return found;
  }

  async locateUnder(dir: string): Promise<Map<string, { root: string; path: string }>> {
    const found = new Map<string, { root: string; path: string }>();
    if (!(await this.describe())) return found;
    const profile = await this.profile();
    if (!profile.writable) return found; // other tools' indices record no library folders
    // `root` is mapped without an index but with doc values, which term and prefix queries can use.
    const query: estypes.QueryDslQueryContainer = {
      bool: {
        should: [
          { term: { root: normalizeFolder(dir) } },
          { prefix: { root: innerRootPrefix(dir) } },
          ...ancestorsWithPrefix(dir).map(({ root, prefix }) => ({ bool: { filter: [{ term: { root } }, { prefix: { path: prefix } }] } })),
        ],
        minimum_should_match: 1,
      },
    };
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.call(() =>
        this.client.search<{ root: string; path: string }>({
          index: this.index,
          query,
          size: 2_000,
          sort: [{ photo_id: "asc" }],
          _source: ["root", "path"],
          ...(after ? { search_after: after } : {}),
        }),
      );
      const hits = response.hits.hits;
      for (const hit of hits) {
        if (hit._source && isInFolder(dir, hit._source)) found.set(hit._id!, { root: hit._source.root, path: hit._source.path });
      }
      if (hits.length < 2_000) return found;
      after = hits.at(-1)!.sort;
    }
  }

  async getVector(id: string): Promise<Float32Array | undefined> {
    const profile = await this.profile();
    const doc = await this.fetch(id, profile, true);
    const values = doc?.source[profile.vectorField];
    return Array.isArray(values) ? asUnitVector(values as number[]) : undefined;
  }

  async scan(after: string | undefined, limit: number): Promise<PhotoRecord[]> {
    if (!(await this.describe())) return [];
    return (await this.scanPage(after === undefined ? undefined : [after], limit)).records;
  }

  /**
   * A page of the library in id order with vectors, and where the next page starts (undefined after
   * the last): a document without a vector is skipped, and does not end the scan early.
   */
  private async scanPage(after: estypes.SortResults | undefined, limit: number) {
    const profile = await this.profile();
    // 9.2+ leaves vectors out of _source unless asked (see fetch()).
    const source = (await this.excludesVectorsByDefault()) ? { exclude_vectors: false } : true;
    const response = await this.call(() =>
      this.client.search<Source>({
        index: this.index,
        size: limit,
        sort: [{ [profile.idField]: "asc" }],
        ...(after !== undefined ? { search_after: after } : {}),
        _source: source as never,
        track_total_hits: false,
      }),
    );
    const hits = response.hits.hits;
    const records = hits.flatMap((hit): PhotoRecord[] => {
      const values = hit._source?.[profile.vectorField];
      if (!Array.isArray(values)) return [];
      return [{ ...profile.toPhoto(hit._id!, hit._source!), vector: asUnitVector(values as number[]) }];
    });
    return { records, next: hits.length === limit ? hits.at(-1)!.sort : undefined };
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.writableProfile();
    await this.call(() => this.client.bulk({ operations: ids.map((id) => ({ delete: { _index: this.index, _id: id } })) }));
  }

  async searchVector(query: VectorQuery): Promise<Page> {
    const total = query.offset + query.k + 1; // one extra tells whether another page exists
    if (total > MAX_CANDIDATES) throw new AppError("bad_request", `offset + k must stay below ${MAX_CANDIDATES} on Elasticsearch`);
    const profile = await this.profile();
    const knn = await this.knnSearch(query.vector, total, filterQuery(normalizeFilter(query.filter), profile), profile);
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        ...knn,
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: [profile.vectorField] },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, profile, cosineFromScore);
  }

  /** The kNN part of a search for the `total` nearest photos, in the form this cluster's version takes. */
  private async knnSearch(
    vector: Float32Array,
    total: number,
    filter: estypes.QueryDslQueryContainer | undefined,
    profile: IndexProfile,
    candidates = this.settings.numCandidates,
  ): Promise<Pick<estypes.SearchRequest, "knn" | "query">> {
    const [rescore, form] = await Promise.all([this.supportsRescore(), this.knnForm()]);
    const knn = {
      field: profile.vectorField,
      query_vector: Array.from(vector),
      num_candidates: Math.min(MAX_CANDIDATES, Math.max(candidates, total * 2)),
      ...(filter ? { filter } : {}),
      // int8 HNSW ranks by quantized vectors; rescoring the top candidates with the stored
      // float vectors gives exact cosine scores and order (8.18+).
      ...(rescore ? { rescore_vector: { oversample: 3 } } : {}),
    };
    // The knn query runs in the query phase; the top-level knn section adds a DFS round trip
    // first, which measured 0.9-1.7 ms of a 9-11 ms search (docs/benchmarks.md, section 1). Each
    // shard returns its `k` nearest (8.14+; before that its num_candidates nearest, always
    // >= total), and the usual merge of shard results keeps the global top `total`.
    if (form === "top-level") return { knn: { ...knn, k: total } };
    return { query: { knn: form === "query" ? { ...knn, k: total } : knn } };
  }

  /**
   * The library read in pages (search_after) with each page's kNN searches sent many to an
   * _msearch request, a few requests in flight, while the next page is read.
   */
  async *neighbours(k: number, onProgress: (progress: NeighbourProgress) => void = () => undefined): AsyncGenerator<Neighbourhood[]> {
    if (!(await this.describe())) return;
    const profile = await this.profile();
    // The count when the pass starts: photos indexed meanwhile may take `done` past it.
    let total = await this.count();
    let done = 0;
    onProgress({ phase: "comparing", done, total });
    let next = this.scanPage(undefined, NEIGHBOUR_PAGE);
    for (;;) {
      const { records, next: after } = await next;
      if (after) {
        next = this.scanPage(after, NEIGHBOUR_PAGE);
        next.catch(() => undefined); // awaited (and its failure thrown) on the next turn
      }
      const found = await this.nearestOthers(records, k, profile);
      done += records.length;
      total = Math.max(total, done);
      onProgress({ phase: "comparing", done: after ? done : total, total });
      if (found.length > 0) yield found;
      if (!after) return;
    }
  }

  /**
   * Each photo's `k` nearest others: its k + 1 nearest with itself dropped (a filter leaving it out
   * would make every search a filtered one, which first collects the filter's matches in every
   * segment). Where near-ties put the photo itself beyond k + 1, the farthest is dropped instead.
   */
  private async nearestOthers(page: PhotoRecord[], k: number, profile: IndexProfile): Promise<Neighbourhood[]> {
    const batches: PhotoRecord[][] = [];
    for (let i = 0; i < page.length; i += NEIGHBOUR_BATCH) batches.push(page.slice(i, i + NEIGHBOUR_BATCH));
    const answers = await inPool(batches, NEIGHBOUR_BATCHES_IN_FLIGHT, (batch) =>
      this.knnBatch(
        batch.map((r) => r.vector),
        k + 1,
        profile,
      ),
    );
    const nearest = answers.flat();
    return page.map(({ vector: _vector, ...photo }, i) => ({
      photo,
      hits: (nearest[i] ?? []).filter((hit) => hit.id !== photo.id).slice(0, k),
    }));
  }

  /** The `total` nearest photos (id and cosine) of each vector, in one _msearch request. */
  private async knnBatch(vectors: Float32Array[], total: number, profile: IndexProfile): Promise<{ id: string; score: number }[][]> {
    const searches: estypes.MsearchRequestItem[] = [];
    for (const vector of vectors) {
      const knn = await this.knnSearch(vector, total, undefined, profile, NEIGHBOUR_CANDIDATES);
      searches.push({ index: this.index }, { ...knn, size: total, _source: [profile.idField], track_total_hits: false });
    }
    for (let attempt = 1; ; attempt++) {
      const { responses } = await this.call(() => this.client.msearch<Source>({ searches }));
      const refused = responses.find((item) => "error" in item);
      if (!refused) {
        return responses.map((item) =>
          (item as estypes.MsearchMultiSearchItem<Source>).hits.hits.map((hit) => ({
            id: photoIdOf(profile, hit._id!, hit._source),
            score: cosineFromScore(hit._score ?? 0),
          })),
        );
      }
      const { status, error } = refused as estypes.ErrorResponseBase;
      // 429: the search queue is full; 503: a shard is between nodes. Both pass.
      if ((status !== 429 && status !== 503) || attempt >= NEIGHBOUR_ATTEMPTS) {
        throw new AppError("store_unavailable", `Elasticsearch refused a neighbour search (HTTP ${status}): ${error.reason ?? error.type}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }

  /**
   * The index's UUID (a new index of the same name is another library), how many photos a search
   * sees, and the sum and largest of their sequence numbers: every write takes a new, larger
   * sequence number in its shard, so adding, replacing or deleting a photo changes the count or the
   * sum once it is refreshed. Only the read and view_index_metadata privileges are needed, which the
   * app holds on peers' indices too.
   */
  async changeToken(): Promise<string> {
    if (!(await this.describe())) return "no index";
    return this.call(async () => {
      const [settings, response] = await Promise.all([
        this.client.indices.getSettings({ index: this.index, name: "index.uuid", flat_settings: true }),
        this.client.search({
          index: this.index,
          size: 0,
          track_total_hits: true,
          aggs: { seqSum: { sum: { field: "_seq_no" } }, seqMax: { max: { field: "_seq_no" } } },
        }),
      ]);
      const uuids = Object.values(settings)
        .map((index) => String((index.settings as Record<string, unknown> | undefined)?.["index.uuid"] ?? ""))
        .sort();
      const total = response.hits.total;
      const count = typeof total === "number" ? total : (total?.value ?? 0);
      const aggs = response.aggregations as Record<string, { value: number | null }> | undefined;
      return [uuids.join(","), count, aggs?.seqSum?.value ?? 0, aggs?.seqMax?.value ?? -1].join(":");
    });
  }

  async searchText(query: TextQuery): Promise<Page> {
    const profile = await this.profile();
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        query: textQuery(query.text, normalizeFilter(query.filter), profile),
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: [profile.vectorField] },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, profile, (score) => score);
  }

  async searchHybrid(query: TextQuery & { vector: Float32Array }): Promise<Page | undefined> {
    if (!(await this.rrfAvailable())) return undefined;
    const profile = await this.profile();
    const normalized = normalizeFilter(query.filter);
    const window = query.offset + query.k + 1;
    try {
      const response = (await this.client.search({
        index: this.index,
        retriever: {
          rrf: {
            retrievers: [
              { standard: { query: textQuery(query.text, normalized, profile) } },
              {
                knn: {
                  field: profile.vectorField,
                  query_vector: Array.from(query.vector),
                  k: window,
                  num_candidates: Math.min(MAX_CANDIDATES, Math.max(this.settings.numCandidates, window * 2)),
                  filter: filterQuery(normalized, profile),
                },
              },
            ],
            rank_constant: 60,
            rank_window_size: Math.max(window, 50),
          },
        },
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: [profile.vectorField] },
      })) as unknown as Hits;
      return this.page(response, query.k, profile, (score) => score);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 400 || status === 403) {
        // Unknown retriever or no licence for it: fuse in the app from now on.
        this.rrf = Promise.resolve(false);
        return undefined;
      }
      throw translateError(error, this.settings);
    }
  }

  /** The rrf retriever: 8.16+ with a licence that includes it (platinum, enterprise or trial). */
  private rrfAvailable(): Promise<boolean> {
    this.rrf ??= (async () => {
      const [major, minor] = await this.versionNumbers();
      if (major < 8 || (major === 8 && minor < 16)) return false;
      try {
        const { license } = await this.client.license.get();
        return ["platinum", "enterprise", "trial"].includes(license.type);
      } catch {
        return false;
      }
    })();
    return this.rrf;
  }

  async browse(query: BrowseQuery): Promise<Page> {
    const profile = await this.profile();
    const filter = filterQuery(normalizeFilter(query.filter), profile);
    // Newest capture first, undated last; ties by indexing time (the app's index) and id.
    const sort: estypes.SortCombinations[] = [];
    if (profile.dateField) sort.push({ [profile.dateField]: { order: "desc", missing: "_last" } });
    if (profile.writable) sort.push({ indexed_at: { order: "desc" } });
    sort.push({ [profile.idField]: { order: "asc" } });
    const response = (await this.call(() =>
      this.client.search({
        index: this.index,
        query: filter ?? { match_all: {} },
        sort,
        from: query.offset,
        size: query.k + 1,
        _source: { excludes: [profile.vectorField] },
        track_total_hits: false,
      }),
    )) as unknown as Hits;
    return this.page(response, query.k, profile, () => 0);
  }

  async facets(): Promise<Facets> {
    if (!(await this.describe())) return { folders: [], places: [] };
    const profile = await this.profile();
    const { locationField, dateField } = profile;
    const folderFacet = profile.folders?.facet;
    const folderField = folderFacet && "field" in folderFacet ? folderFacet.field : undefined;
    const response = await this.call(() =>
      this.client.search({
        index: this.index,
        size: 0,
        aggs: {
          ...(folderField ? { folders: { terms: { field: folderField, size: 1000, order: { _key: "asc" as const } } } } : {}),
          ...(locationField ? { places: this.clusterAggregation(profile, locationField, PLACE_ZOOM) } : {}),
          ...(dateField
            ? {
                first: { min: { field: dateField } },
                last: { max: { field: dateField } },
                // Only the years that hold photos (min_doc_count 1), newest first, in UTC as the range.
                years: {
                  date_histogram: { field: dateField, calendar_interval: "year", min_doc_count: 1, order: { _key: "desc" as const } },
                },
              }
            : {}),
        },
      }),
    );
    const aggs = (response.aggregations ?? {}) as unknown as Partial<FacetAggregations>;
    const folders =
      folderFacet && "pathField" in folderFacet
        ? await this.foldersFromPaths(folderFacet.pathField, folderFacet.folderOf)
        : (aggs.folders?.buckets.map((b) => ({ folder: b.key, count: b.doc_count })) ?? []);
    return {
      folders,
      places: this.clustersFrom(aggs.places, profile),
      ...(aggs.first && aggs.first.value !== null
        ? { takenRange: { from: new Date(aggs.first.value).toISOString(), to: new Date(aggs.last!.value!).toISOString() } }
        : {}),
      ...(aggs.years ? { years: aggs.years.buckets.map((b) => ({ year: new Date(b.key).getUTCFullYear(), count: b.doc_count })) } : {}),
    };
  }

  async clusters(query: ClusterQuery): Promise<PlaceCluster[]> {
    if (!(await this.describe())) return [];
    const profile = await this.profile();
    if (!profile.locationField) return [];
    const filter = filterQuery(normalizeFilter(query.filter), profile);
    const response = await this.call(() =>
      this.client.search({
        index: this.index,
        size: 0,
        query: filter ?? { match_all: {} },
        aggs: { places: this.clusterAggregation(profile, profile.locationField!, query.zoom) },
      }),
    );
    return this.clustersFrom((response.aggregations as unknown as { places?: ClusterBuckets } | undefined)?.places, profile);
  }

  /** geotile_grid cells with their centroid and the newest photo of each (top_hits) as its face. */
  private clusterAggregation(profile: IndexProfile, locationField: string, zoom: number): estypes.AggregationsAggregationContainer {
    const newest = profile.dateField ? [{ [profile.dateField]: { order: "desc" as const, missing: "_last" as const } }] : [];
    return {
      geotile_grid: { field: locationField, precision: zoom, size: MAX_CLUSTERS },
      aggs: {
        centre: { geo_centroid: { field: locationField } },
        photo: { top_hits: { size: 1, sort: [...newest, "_doc"], _source: { excludes: [profile.vectorField] } } },
      },
    };
  }

  private clustersFrom(aggregate: ClusterBuckets | undefined, profile: IndexProfile): PlaceCluster[] {
    return (aggregate?.buckets ?? [])
      .map((b) => {
        const hit = b.photo?.hits.hits[0];
        const photo = hit?._source ? profile.toPhoto(hit._id!, hit._source) : undefined;
        return {
          lat: b.centre.location.lat,
          lon: b.centre.location.lon,
          count: b.doc_count,
          ...(photo ? { photoId: photo.id } : {}),
          ...(photo?.place ? { place: photo.place } : {}),
        };
      })
      .sort((a, b) => b.count - a.count || a.lat - b.lat);
  }

  /**
   * Photos per folder where the index holds relative paths only (the generator's): the paths are
   * paged through with a composite aggregation and grouped here, up to MAX_FACET_PATHS of them.
   */
  private async foldersFromPaths(pathField: string, folderOf: (path: string) => string): Promise<Facets["folders"]> {
    const counts = new Map<string, number>();
    let after: Record<string, string | number | null> | undefined;
    for (let seen = 0; seen < MAX_FACET_PATHS;) {
      const response = await this.call(() =>
        this.client.search({
          index: this.index,
          size: 0,
          aggs: { paths: { composite: { size: FACET_PAGE, sources: [{ path: { terms: { field: pathField } } }], after } } },
        }),
      );
      const paths = response.aggregations?.paths as estypes.AggregationsCompositeAggregate | undefined;
      const buckets = (paths?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
      for (const bucket of buckets) {
        const folder = folderOf(String(bucket.key.path));
        counts.set(folder, (counts.get(folder) ?? 0) + bucket.doc_count);
      }
      seen += buckets.length;
      if (!paths?.after_key || buckets.length < FACET_PAGE) break;
      after = paths.after_key as Record<string, string>;
    }
    return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([folder, count]) => ({ folder, count }));
  }

  async count(filter?: SearchFilter): Promise<number> {
    if (!(await this.describe())) return 0;
    const query = filterQuery(normalizeFilter(filter), await this.profile());
    return this.call(async () => (await this.client.count({ index: this.index, query })).count);
  }

  async status(): Promise<StoreStatus> {
    try {
      const model = await this.indexModel();
      const count = model ? await this.count() : 0;
      const health = model ? await this.health() : undefined;
      return { kind: this.kind, reachable: true, indexExists: Boolean(model), count, model, ...(health ? { health } : {}) };
    } catch (error) {
      const appError = translateError(error, this.settings);
      const reachable = appError.code !== "store_unavailable";
      return { kind: this.kind, reachable, indexExists: false, count: 0, detail: appError.message };
    }
  }

  /**
   * The index's health; "electing" while the cluster has no master (the master node died: the others
   * elect one within seconds; searches still answer); undefined where the cluster does not say (no
   * monitor privilege).
   */
  private async health(): Promise<StoreStatus["health"]> {
    try {
      const health = await this.client.cluster.health({ index: this.index, timeout: "1s", master_timeout: "2s" }, { maxRetries: 0 });
      return {
        status: String(health.status).toLowerCase() as "green" | "yellow" | "red",
        nodes: health.number_of_data_nodes,
        unassignedShards: health.unassigned_shards,
        initializingShards: health.initializing_shards,
      };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 503 || status === 408) return { status: "electing", nodes: 0, unassignedShards: 0, initializingShards: 0 };
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private page(response: Hits, k: number, profile: IndexProfile, toScore: (score: number) => number): Page {
    const hits = response.hits.hits.filter((hit) => hit._source);
    return {
      hits: hits.slice(0, k).map((hit) => ({ photo: profile.toPhoto(hit._id!, hit._source!), score: toScore(hit._score ?? 0) })),
      hasMore: hits.length > k,
    };
  }

  /** One document by photo id, with or without its vector. */
  private async fetch(id: string, profile: IndexProfile, withVector: boolean): Promise<{ id: string; source: Source } | undefined> {
    if (!(await this.describe())) return undefined;
    // 9.2+ leaves vectors out of _source by default (index.mapping.exclude_source_vectors): ask for
    // them back there only, since 8.x and 9.0-9.1 reject the flag ("unrecognized parameter").
    const keepVectors = withVector && (await this.excludesVectorsByDefault());
    return this.call(async () => {
      if (profile.writable) {
        try {
          const doc = await this.client.get<Source>(
            {
              index: this.index,
              id,
              ...(withVector ? { _source_includes: [profile.vectorField] } : { _source_excludes: [profile.vectorField] }),
            },
            keepVectors ? { querystring: { _source_exclude_vectors: false } } : {},
          );
          return doc.found && doc._source ? { id: doc._id, source: doc._source } : undefined;
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) return undefined;
          throw error;
        }
      }
      const source = withVector
        ? { includes: [profile.vectorField], ...(keepVectors ? { exclude_vectors: false } : {}) }
        : { excludes: [profile.vectorField] };
      const response = (await this.client.search({
        index: this.index,
        query: { term: { [profile.idField]: id } },
        size: 1,
        _source: source as never,
      })) as unknown as Hits;
      const hit = response.hits.hits[0];
      return hit?._source ? { id: hit._id!, source: hit._source } : undefined;
    });
  }

  private async excludesVectorsByDefault(): Promise<boolean> {
    const [major, minor] = await this.versionNumbers();
    return major > 9 || (major === 9 && minor >= 2);
  }

  /** The knn query exists from 8.12 and takes `k` from 8.14; older clusters have the top-level section only. */
  private async knnForm(): Promise<"query" | "query-without-k" | "top-level"> {
    const [major, minor] = await this.versionNumbers();
    if (major > 8 || (major === 8 && minor >= 14)) return "query";
    return major === 8 && minor >= 12 ? "query-without-k" : "top-level";
  }

  private async supportsRescore(): Promise<boolean> {
    const [major, minor] = await this.versionNumbers();
    return major > 8 || (major === 8 && minor >= 18);
  }

  private versionNumbers(): Promise<[number, number]> {
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
    return this.version;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw translateError(error, this.settings);
    }
  }
}

/** `work` over `items` with at most `limit` running at once; the results in the items' order. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
