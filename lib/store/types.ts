import type { PlaceName } from "@/lib/places/types";

export type { PlaceName } from "@/lib/places/types";

/**
 * The storage contract. Both the embedded store and Elasticsearch implement PhotoStore; nothing
 * outside lib/store sees a SQLite row or an ES hit.
 */

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface PhotoLocation {
  root: string;
  path: string;
}

/** Everything known about a photo except its vector. */
export interface Photo {
  /** Content hash of the file's bytes: the same photo gets the same id wherever it lives. */
  id: string;
  /** The library root the photo was ingested from (absolute path), or a remote URL for remote images. */
  root: string;
  /** Path relative to `root`, with forward slashes. */
  path: string;
  /** Folder used for filtering: the root's own name followed by the relative directory. */
  folder: string;
  name: string;
  width: number;
  height: number;
  bytes: number;
  mime: string;
  /** ISO 8601 capture time from EXIF, when known. */
  takenAt?: string;
  location?: GeoPoint;
  /** City and country of `location` in words (lib/places), when it lies near a town. */
  place?: PlaceName;
  camera?: string;
  caption?: string;
  tags: string[];
  /** Extra fields from a metadata file; values are shown and searchable as text. */
  extra: Record<string, string>;
  /**
   * Other places the same bytes were found at (identical files), besides `root`/`path`: the library
   * keeps one photo per content and remembers every path of it.
   */
  copies?: PhotoLocation[];
  /** Remote image URL, for indices whose photos live elsewhere (the tutorial's Unsplash index). */
  url?: string;
  indexedAt: string;
}

/** Where a stored photo's file is, and whether its GPS position still lacks a place name. */
export interface StoredLocation {
  root: string;
  path: string;
  /**
   * A GPS position without a region name: stored before places (or regions) existed, or no names
   * were found then (at sea). Ingest looks the place up again and fills in what is new.
   */
  unplaced?: boolean;
}

export interface PhotoRecord extends Photo {
  vector: Float32Array;
}

export interface SearchFilter {
  /** Inclusive ISO dates or datetimes. */
  takenAfter?: string;
  takenBefore?: string;
  near?: GeoPoint & { radiusKm: number };
  box?: { top: number; left: number; bottom: number; right: number };
  /** Matches this folder and everything below it. */
  folder?: string;
  /** Photos whose place (lib/places) lies in this country: an ISO 3166-1 alpha-2 code. */
  country?: string;
  /** Ids to leave out, e.g. the photo itself in "more like this". */
  excludeIds?: string[];
}

export interface Hit {
  photo: Photo;
  /** Cosine similarity for vector search; BM25 or fused score for text and hybrid. */
  score: number;
}

export interface Page {
  hits: Hit[];
  /** Whether more results exist beyond this page (within the search's limit). */
  hasMore: boolean;
}

/**
 * A hit before its photo is read: what ordering, demoting and paging a window need. A full Hit is
 * one too. `takenAt` says when the photo was taken, as an ISO time (for ordering by date only).
 */
export interface RankedHit {
  photo: Pick<Photo, "id" | "takenAt">;
  score: number;
}

export interface Ranking {
  hits: RankedHit[];
  hasMore: boolean;
}

/** A photo with its nearest others in the library (by id, cosine best first, itself left out). */
export interface Neighbourhood {
  photo: Photo;
  hits: { id: string; score: number }[];
}

/**
 * How far a whole-library neighbour pass has got, for a progress bar: the embedded store first adds
 * every photo to its graph (`indexing`), then both stores list photos with their neighbours
 * (`comparing`). `done` counts photos of `total` in the current phase.
 */
export interface NeighbourProgress {
  phase: "indexing" | "comparing";
  done: number;
  total: number;
}

export interface VectorQuery {
  vector: Float32Array;
  /** Number of results to return, after skipping `offset`. */
  k: number;
  offset: number;
  filter?: SearchFilter;
}

export interface TextQuery {
  text: string;
  k: number;
  offset: number;
  filter?: SearchFilter;
}

export interface BrowseQuery {
  k: number;
  offset: number;
  filter?: SearchFilter;
}

/** What the filter controls offer: folders, and places where photos with GPS cluster. */
export interface Facets {
  folders: { folder: string; count: number }[];
  /** Photos grouped by proximity (about 10 km), with their mean position and the place's name. */
  places: PlaceCluster[];
  /** Earliest and latest capture time, when any photo has one. */
  takenRange?: { from: string; to: string };
  /** The years photos were taken in (UTC, as takenRange), newest first, each with its photos; no empty years. */
  years?: { year: number; count: number }[];
}

/** Photos in one map tile: how many, where on average, and one of them to show with its place. */
export interface PlaceCluster {
  lat: number;
  lon: number;
  count: number;
  /** A photo of the cluster, for its thumbnail. */
  photoId?: string;
  /** That photo's place name. */
  place?: PlaceName;
}

/** A map's clusters: the photos a filter lets through, grouped by tiles of one zoom level. */
export interface ClusterQuery {
  /** Web-mercator zoom of the tiles, 0-20. */
  zoom: number;
  filter?: SearchFilter;
}

/** The embedding space an index holds. A store refuses vectors from another model. */
export interface IndexModel {
  modelId: string;
  dims: number;
  /** False for an index made elsewhere that does not record its model: only the dims can be checked. */
  recorded?: boolean;
}

/** Where an index lives, for messages: what it is called, and how to start a new one for another model. */
export interface IndexPlace {
  name: string;
  fresh: string;
}

export interface StoreStatus {
  kind: "embedded" | "elasticsearch";
  reachable: boolean;
  indexExists: boolean;
  count: number;
  model?: IndexModel;
  detail?: string;
  /**
   * Elasticsearch only: the index's health. Yellow (a replica missing: a node left, or is recovering)
   * and red (a primary missing: some photos cannot be found) answer searches, with less to spare;
   * "electing": the cluster has no master for the moment (the master node left).
   */
  health?: {
    status: "green" | "yellow" | "red" | "electing";
    /** Data nodes (where shard copies can live). */
    nodes: number;
    unassignedShards: number;
    initializingShards: number;
  };
}

/** Index settings a bulk load replaced (name → value; null: the engine's default). */
export type BulkLoadSettings = Record<string, string | null>;

export interface PhotoStore {
  readonly kind: "embedded" | "elasticsearch";
  /** Where the index lives (DATA_DIR, or ES_INDEX), for messages. */
  readonly place: IndexPlace;
  /**
   * Binds the index to `model`: creates it if there is none, takes the new model if it holds no
   * photos yet (a first run that indexed nothing binds nothing), or checks that its photos come
   * from the same model and dimensions (throws a model_mismatch AppError otherwise). Ingest calls
   * it right before writing the first photo.
   */
  ensureIndex(model: IndexModel): Promise<void>;
  /** The model recorded in the index, or undefined when there is no index yet. */
  indexModel(): Promise<IndexModel | undefined>;
  /** Inserts or replaces photos by id. Durable when the promise resolves. */
  upsert(records: PhotoRecord[]): Promise<void>;
  /** Makes every completed write visible to search (Elasticsearch refreshes on an interval). */
  refresh(): Promise<void>;
  get(id: string): Promise<Photo | undefined>;
  /** Which of these ids are stored, with their current root and path. */
  locate(ids: string[]): Promise<Map<string, StoredLocation>>;
  /**
   * Every stored photo whose file lies in `dir` (an absolute folder) or below it, with its root and
   * path: what a folder ingest compares with the files it found to notice deleted ones.
   */
  locateUnder(dir: string): Promise<Map<string, { root: string; path: string }>>;
  getVector(id: string): Promise<Float32Array | undefined>;
  /**
   * Up to `limit` photos with their vectors, in id order, after the id `after` (from the start when
   * undefined): a whole library read page by page, resumable from the last id seen (migrate, export).
   */
  scan(after: string | undefined, limit: number): Promise<PhotoRecord[]>;
  /**
   * Optional, for a bulk copy into this store (migrate): settings that make writing many photos at
   * once cheaper (Elasticsearch: no refresh, no replica to index each photo again; the replica is
   * copied as files once the settings are restored). Returns the settings it replaced, to hand back
   * to finishBulkLoad; they are plain JSON, so a killed copy can keep them in its checkpoint.
   */
  prepareBulkLoad?(): Promise<BulkLoadSettings | undefined>;
  /** Puts back the settings prepareBulkLoad replaced. */
  finishBulkLoad?(previous: BulkLoadSettings): Promise<void>;
  delete(ids: string[]): Promise<void>;
  searchVector(query: VectorQuery): Promise<Page>;
  /**
   * Optional, with getMany: searchVector's ranking (the same hits, scores and order) without reading
   * the photos. For a window larger than the page shown: the relevance cut-off ranks 200 photos to
   * show 30, and reading 200 photo rows per search cost the embedded store more than its scan.
   */
  rankVector?(query: VectorQuery): Promise<Ranking>;
  /** Photos by id (for the page of a ranking); ids no longer stored are absent from the map. */
  getMany?(ids: readonly string[]): Promise<Map<string, Photo>>;
  /**
   * Every photo of the library with its `k` nearest others, a page of photos at a time: a whole-library
   * pass (the duplicates review) that asks an index once per photo and never compares all pairs.
   * Elasticsearch runs one HNSW kNN search per photo, many to an _msearch request; the embedded
   * store, whose search is an exact scan (n of them would cost n² dot products), builds an HNSW graph
   * of its int8 vectors for the pass and rescores each photo's candidates with the exact vectors.
   * `onProgress` hears how far the pass has got (at 100k photos it takes minutes).
   */
  neighbours(k: number, onProgress?: (progress: NeighbourProgress) => void): AsyncGenerator<Neighbourhood[]>;
  /**
   * An opaque token that changes whenever the photos a search sees may have changed: any upsert or
   * delete, by this process or another (the ingest CLI, another tool writing a peer's index), once
   * it is visible to search. Equal tokens mean the same photos, so a whole-library result (the
   * duplicates review's neighbour graph) computed after reading a token stays valid while the token
   * does. One small read: cheap enough to ask on every request.
   */
  changeToken(): Promise<string>;
  searchText(query: TextQuery): Promise<Page>;
  /**
   * kNN and BM25 fused by reciprocal rank inside the engine, where it can (Elasticsearch's rrf
   * retriever needs a licence); undefined means "not here", and the caller fuses the two itself.
   */
  searchHybrid?(query: TextQuery & { vector: Float32Array }): Promise<Page | undefined>;
  /** Photos without a query, newest capture first (photos without a date last). */
  browse(query: BrowseQuery): Promise<Page>;
  facets(): Promise<Facets>;
  /** Map clusters of the photos `filter` lets through (geotile grid), each with a representative photo. */
  clusters(query: ClusterQuery): Promise<PlaceCluster[]>;
  count(filter?: SearchFilter): Promise<number>;
  status(): Promise<StoreStatus>;
  close(): Promise<void>;
}
