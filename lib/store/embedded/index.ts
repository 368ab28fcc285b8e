/**
 * The embedded store: SQLite (durable rows, fp32 vectors, FTS5 full-text) plus an in-memory int8
 * copy of the vectors, scanned for candidates that are then rescored exactly from SQLite (knn.ts).
 * The int8 copy is also saved beside the database (matrix-snapshot.ts), so a large library starts
 * without re-reading every vector. No server to run; the default when ES_HOST is not set.
 */
import path from "node:path";
import { AppError } from "@/lib/errors";
import { normalizeFilter } from "@/lib/store/filter";
import { PLACE_ZOOM, tileKey } from "@/lib/store/geotile";
import { ancestorsWithPrefix, innerRootPrefix, isInFolder, normalizeFolder } from "@/lib/store/locations";
import { assertSameModel, sameModel } from "@/lib/store/index-model";
import type {
  BrowseQuery,
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
  Ranking,
  SearchFilter,
  StoreStatus,
  TextQuery,
  VectorQuery,
} from "@/lib/store/types";
import { log } from "@/lib/log";
import { dot, fromBuffer } from "@/lib/vector";
import { nextSeq, openDatabase, readMeta, writeMeta, writeTransaction, type Db } from "./database";
import { allowedRows, rowPredicate } from "./filter-mask";
import { toMatchQuery } from "./fulltext";
import { exactKnn, type ScoredRow } from "./knn";
import { LibraryGraph, type GraphInfo } from "./library-graph";
import { readSnapshot, rowAgrees, sampleRows, writeSnapshot } from "./matrix-snapshot";
import { scoreByRowids, VECTORS_BY_ROWIDS } from "./rescore";
import { RescoreThread } from "./rescore-thread";
import { matrixNeighbours } from "./neighbours";
import { ftsColumns, PHOTO_COLUMNS, recordToRow, rowToPhoto, type PhotoRow } from "./rows";
import { VectorMatrix } from "./vector-matrix";

/** Clusters beyond this many (by size) come without a place name: each name costs a row lookup. */
const MAX_NAMED_CLUSTERS = 2_000;

/** Meta key naming the token of the matrix snapshot that matches the database. */
const SNAPSHOT_META = "matrix_snapshot";
/**
 * A snapshot is written once this many rows have been read from SQLite since the last one (and, while
 * the store runs, at least half the library's size, so a long ingest writes a handful, not one per
 * batch). Below it, reading the rows back on the next start costs about a second at most.
 */
const SNAPSHOT_AFTER_ROWS = 50_000;
/** Rows of a restored matrix compared with SQLite before it is trusted. */
const SNAPSHOT_SAMPLE = 64;
/** Meta key naming the token of the saved graph index (graph-file.ts). */
const GRAPH_META = "graph_snapshot";
/**
 * Libraries of this many photos or more answer unfiltered searches from a graph index (knn.ts).
 * One search alone is faster from the graph from about 50,000 photos, but under concurrent load the
 * scan shares one pass between waiting queries on every core while graph searches run one after
 * another: at 100,000 photos, 8 clients on a quiet machine got 48-50 req/s with the graph against
 * 75.6 with the scan (ready-made vectors, runs minutes apart), and at a million the graph gave 213 QPS against the scan's 11
 * (both with the int8 graph; the 1-bit graph that replaced it gave 38 against the scan's 5.3 on a
 * loaded machine: docs/benchmarks.md, Scale). 200,000 lies between, where the scan's pass has doubled; smaller
 * libraries (and every test that does not lower it) stay exact. GRAPH_INDEX_MIN_PHOTOS moves it.
 */
const GRAPH_MIN_ROWS = 200_000;

/**
 * Libraries of this many photos or more rescore their searches' candidates in a worker thread
 * (rescore-thread.ts). Below it the reads cost little and a thread would only add its start-up (and,
 * in the test suites, one per store).
 */
const RESCORE_THREAD_MIN_ROWS = 20_000;

export interface EmbeddedStoreOptions {
  /** Rows read from SQLite since the last snapshot before another is written (tests lower it). */
  snapshotAfterRows?: number;
  /** Photos from which unfiltered searches use a graph index (tests lower it; Infinity: never). */
  graphMinRows?: number;
  /** Photos from which candidates are rescored in a worker thread (tests lower it; Infinity: never). */
  rescoreThreadMinRows?: number;
}

interface SyncRow {
  rowid: number;
  id: string;
  seq: number;
  folder: string;
  taken_at_ms: number | null;
  lat: number | null;
  lon: number | null;
  place_country_code: string | null;
  vector: Buffer;
}

interface StoredState {
  rowid: number;
  vector: Buffer;
  folder: string;
  taken_at_ms: number | null;
  lat: number | null;
  lon: number | null;
  place_country_code: string | null;
}

export class EmbeddedStore implements PhotoStore {
  readonly kind = "embedded" as const;
  private readonly db: Db;
  private matrix?: VectorMatrix;
  private syncedSeq = 0;
  /** Where the matrix came from when the store opened: the snapshot beside the database, or the database. */
  private origin?: "snapshot" | "database";
  private rowsSinceSnapshot = 0;
  private snapshotting?: Promise<void>;
  private readonly snapshotAfterRows: number;
  private readonly graphMinRows: number;
  private graph?: LibraryGraph;
  private readonly rescoreThreadMinRows: number;
  private readonly rescorer: RescoreThread;
  /** Prepared once: sync() and photo lookups run before and after every query. */
  private readonly sql: ReturnType<typeof prepareStatements>;
  readonly place: IndexPlace;

  constructor(
    private readonly dataDir: string,
    options: EmbeddedStoreOptions = {},
  ) {
    this.db = openDatabase(dataDir);
    this.sql = prepareStatements(this.db);
    this.snapshotAfterRows = options.snapshotAfterRows ?? SNAPSHOT_AFTER_ROWS;
    this.graphMinRows = options.graphMinRows ?? GRAPH_MIN_ROWS;
    this.rescoreThreadMinRows = options.rescoreThreadMinRows ?? RESCORE_THREAD_MIN_ROWS;
    this.rescorer = new RescoreThread(path.join(dataDir, "library.db"));
    this.place = { name: `the library in DATA_DIR (${dataDir})`, fresh: "point DATA_DIR at an empty folder for the new model" };
  }

  async ensureIndex(model: IndexModel): Promise<void> {
    const existing = await this.indexModel();
    if (existing && sameModel(existing, model)) return;
    // Checked again under the lock: another process may have bound the index since the read above.
    await writeTransaction(this.db, () => {
      const current = this.readModel();
      if (current && sameModel(current, model)) return;
      // An index that holds no photos is not bound yet (a first run that indexed nothing): it takes the new model.
      if (current && this.sql.anyPhoto.get()) assertSameModel(current, model, this.place);
      writeMeta(this.db, "model_id", model.modelId);
      writeMeta(this.db, "dims", String(model.dims));
    });
  }

  async indexModel(): Promise<IndexModel | undefined> {
    return this.readModel();
  }

  private readModel(): IndexModel | undefined {
    const modelId = readMeta(this.db, "model_id");
    const dims = Number(readMeta(this.db, "dims"));
    return modelId && dims ? { modelId, dims } : undefined;
  }

  async upsert(records: PhotoRecord[]): Promise<void> {
    if (records.length === 0) return;
    const model = await this.requireModel();
    for (const record of records) {
      if (record.vector.length !== model.dims) {
        throw new AppError("model_mismatch", `photo ${record.id} has a ${record.vector.length}-dim vector; the index holds ${model.dims}`);
      }
    }
    const upsertRow = this.db.prepare(`
      INSERT INTO photos (id, seq, root, path, folder, name, width, height, bytes, mime, taken_at, taken_at_ms, lat, lon,
        place_city, place_region, place_country_code, place_country, camera, caption, tags, extra, url, copies, indexed_at, vector)
      VALUES (@id, @seq, @root, @path, @folder, @name, @width, @height, @bytes, @mime, @taken_at, @taken_at_ms, @lat, @lon,
        @place_city, @place_region, @place_country_code, @place_country, @camera, @caption, @tags, @extra, @url, @copies, @indexed_at, @vector)
      ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, root = excluded.root, path = excluded.path, folder = excluded.folder,
        name = excluded.name, width = excluded.width, height = excluded.height, bytes = excluded.bytes, mime = excluded.mime,
        taken_at = excluded.taken_at, taken_at_ms = excluded.taken_at_ms, lat = excluded.lat, lon = excluded.lon,
        place_city = excluded.place_city, place_region = excluded.place_region, place_country_code = excluded.place_country_code, place_country = excluded.place_country,
        camera = excluded.camera, caption = excluded.caption, tags = excluded.tags, extra = excluded.extra, url = excluded.url,
        copies = excluded.copies, indexed_at = excluded.indexed_at, vector = excluded.vector
      RETURNING rowid`);
    const insertFts = this.db.prepare(
      "INSERT INTO photos_fts (rowid, name, folder, caption, tags, extra, place) VALUES (@rowid, @name, @folder, @caption, @tags, @extra, @place)",
    );
    await writeTransaction(this.db, () => {
      const seq = nextSeq(this.db);
      for (const record of records) {
        const { rowid } = upsertRow.get(recordToRow(record, seq)) as { rowid: number };
        this.sql.deleteFts.run(rowid);
        insertFts.run({ rowid, ...ftsColumns(record) });
      }
    });
    this.sync();
  }

  async get(id: string): Promise<Photo | undefined> {
    const row = this.sql.photoById.get(id) as PhotoRow | undefined;
    return row && rowToPhoto(row);
  }

  async locate(ids: string[]): Promise<Map<string, StoredLocation>> {
    const found = new Map<string, StoredLocation>();
    for (const id of ids) {
      const row = this.sql.locationOf.get(id) as { id: string; root: string; path: string; unplaced: number } | undefined;
      if (row) found.set(row.id, { root: row.root, path: row.path, ...(row.unplaced ? { unplaced: true } : {}) });
    }
    return found;
  }

  async locateUnder(dir: string): Promise<Map<string, { root: string; path: string }>> {
    const found = new Map<string, { root: string; path: string }>();
    const add = (rows: unknown[]) => {
      for (const row of rows as { id: string; root: string; path: string }[]) {
        if (isInFolder(dir, row)) found.set(row.id, { root: row.root, path: row.path });
      }
    };
    const inner = innerRootPrefix(dir);
    add(this.sql.rootsInside.all(normalizeFolder(dir), inner.length, inner));
    for (const { root, prefix } of ancestorsWithPrefix(dir)) add(this.sql.pathsBelow.all(root, prefix.length, prefix));
    return found;
  }

  async getVector(id: string): Promise<Float32Array | undefined> {
    // SQLite holds the exact vector; the in-memory copy is only an int8 approximation.
    const row = this.sql.vectorById.get(id) as { vector: Buffer } | undefined;
    return row && fromBuffer(row.vector);
  }

  async scan(after: string | undefined, limit: number): Promise<PhotoRecord[]> {
    const rows = this.sql.pageAfter.all(after ?? "", limit) as (PhotoRow & { vector: Buffer })[];
    return rows.map((row) => ({ ...rowToPhoto(row), vector: fromBuffer(row.vector) }));
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await writeTransaction(this.db, () => {
      const seq = nextSeq(this.db);
      for (const id of ids) {
        const row = this.sql.rowidOf.get(id) as { rowid: number } | undefined;
        if (!row) continue;
        this.sql.deleteFts.run(row.rowid);
        this.sql.deletePhoto.run(row.rowid);
        this.sql.insertTombstone.run(id, seq);
      }
    });
    this.sync();
  }

  async searchVector(query: VectorQuery): Promise<Page> {
    const found = await this.knn(query);
    if (!found) return { hits: [], hasMore: false };
    const page = found.scored.slice(query.offset, query.offset + query.k);
    const photos = this.photosByIds(page.map(({ id }) => id));
    return {
      hits: page.flatMap(({ id, score }) => {
        const photo = photos.get(id);
        return photo ? [{ photo, score }] : [];
      }),
      hasMore: found.scored.length > query.offset + query.k,
    };
  }

  /** searchVector's hits with their ids and capture times from the matrix: no photo row is read. */
  async rankVector(query: VectorQuery): Promise<Ranking> {
    const found = await this.knn(query);
    if (!found) return { hits: [], hasMore: false };
    const { matrix, scored } = found;
    const { takenAt } = matrix.columns();
    return {
      hits: scored.slice(query.offset, query.offset + query.k).map(({ id, score }) => {
        // The photo's row now (rows move while a search awaits its rescoring); gone since: undated.
        const row = matrix.rowIndex(id);
        const ms = row === undefined ? Number.NaN : takenAt[row]!;
        return { photo: { id, takenAt: Number.isNaN(ms) ? undefined : new Date(ms).toISOString() }, score };
      }),
      hasMore: scored.length > query.offset + query.k,
    };
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Photo>> {
    return ids.length === 0 ? new Map() : this.photosByIds(ids);
  }

  /**
   * The best offset + k + 1 rows (one extra tells whether another page exists), exactly scored;
   * undefined for an empty library.
   */
  private async knn(query: VectorQuery): Promise<{ matrix: VectorMatrix; scored: ScoredRow[] } | undefined> {
    const matrix = this.sync();
    if (!matrix || matrix.size === 0) return undefined;
    if (query.vector.length !== matrix.dims) {
      throw new AppError("model_mismatch", `query vector has ${query.vector.length} dims; the index holds ${matrix.dims}`);
    }
    const predicate = rowPredicate(matrix, normalizeFilter(query.filter));
    const graph = this.graph;
    const scored = await exactKnn(matrix, query.vector, query.offset + query.k + 1, {
      allowed: predicate ? allowedRows(matrix, predicate) : undefined,
      graph: graph && ((vector, quantized, count) => graph.candidates(vector, quantized, count)),
      exactScores: (rows, ids, q) => this.candidateScores(matrix, rows, ids, q),
    });
    return { matrix, scored };
  }

  async *neighbours(k: number, onProgress?: (progress: NeighbourProgress) => void): AsyncGenerator<Neighbourhood[]> {
    const matrix = this.sync();
    if (!matrix) return;
    for await (const chunk of matrixNeighbours(matrix, k, (ids) => this.vectorsByIds(ids), onProgress)) {
      const photos = this.photosByIds(chunk.map((c) => c.id));
      yield chunk.flatMap(({ id, hits }) => {
        const photo = photos.get(id);
        return photo ? [{ photo, hits }] : [];
      });
    }
  }

  /**
   * The change number every write transaction takes (`seq` in meta, shared by every process that
   * writes this DATA_DIR), with the model the library is bound to.
   */
  async changeToken(): Promise<string> {
    return [readMeta(this.db, "model_id") ?? "", readMeta(this.db, "dims") ?? "", readMeta(this.db, "seq") ?? "0"].join(":");
  }

  async searchText(query: TextQuery): Promise<Page> {
    const matrix = this.sync();
    const match = toMatchQuery(query.text);
    if (!matrix || !match) return { hits: [], hasMore: false };
    const predicate = rowPredicate(matrix, normalizeFilter(query.filter));
    // Column weights: name, folder, caption, tags, extra, place. Captions and tags say most about a photo.
    const ranked = this.db
      .prepare(
        `SELECT p.id AS id, bm25(photos_fts, 2.0, 1.0, 3.0, 3.0, 1.0, 2.0) AS rank
         FROM photos_fts JOIN photos p ON p.rowid = photos_fts.rowid
         WHERE photos_fts MATCH ? ORDER BY rank`,
      )
      .iterate(match) as IterableIterator<{ id: string; rank: number }>;
    const want = query.offset + query.k + 1;
    const matches: { id: string; score: number }[] = [];
    for (const { id, rank } of ranked) {
      const row = matrix.rowIndex(id);
      if (row === undefined || (predicate && !predicate(row))) continue;
      matches.push({ id, score: -rank }); // FTS5's bm25() is negated: lower is better
      if (matches.length >= want) break;
    }
    const page = matches.slice(query.offset, query.offset + query.k);
    const photos = this.photosByIds(page.map(({ id }) => id));
    return {
      hits: page.flatMap(({ id, score }) => (photos.has(id) ? [{ photo: photos.get(id)!, score }] : [])),
      hasMore: matches.length > query.offset + query.k,
    };
  }

  async browse(query: BrowseQuery): Promise<Page> {
    const matrix = this.sync();
    if (!matrix) return { hits: [], hasMore: false };
    const predicate = rowPredicate(matrix, normalizeFilter(query.filter));
    const ordered = this.db
      .prepare("SELECT id FROM photos ORDER BY taken_at_ms IS NULL, taken_at_ms DESC, indexed_at DESC, id")
      .pluck()
      .iterate() as IterableIterator<string>;
    const want = query.offset + query.k + 1;
    const ids: string[] = [];
    for (const id of ordered) {
      const row = matrix.rowIndex(id);
      if (row === undefined || (predicate && !predicate(row))) continue;
      ids.push(id);
      if (ids.length >= want) break;
    }
    const page = ids.slice(query.offset, query.offset + query.k);
    const photos = this.photosByIds(page);
    return {
      hits: page.flatMap((id) => (photos.has(id) ? [{ photo: photos.get(id)!, score: 0 }] : [])),
      hasMore: ids.length > query.offset + query.k,
    };
  }

  async facets(): Promise<Facets> {
    const matrix = this.sync();
    if (!matrix) return { folders: [], places: [] };
    const { takenAt, folderOf, folders } = matrix.columns();
    const folderCounts = new Map<string, number>();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    const years = new Map<number, number>();
    for (let row = 0; row < matrix.size; row++) {
      // Rows below matrix.size always have a value in every column.
      const folder = folders[folderOf[row]!]!;
      folderCounts.set(folder, (folderCounts.get(folder) ?? 0) + 1);
      const rowTakenAt = takenAt[row]!;
      if (rowTakenAt < first) first = rowTakenAt;
      if (rowTakenAt > last) last = rowTakenAt;
      if (!Number.isNaN(rowTakenAt)) {
        const year = new Date(rowTakenAt).getUTCFullYear();
        years.set(year, (years.get(year) ?? 0) + 1);
      }
    }
    return {
      folders: [...folderCounts].map(([folder, count]) => ({ folder, count })).sort((a, b) => a.folder.localeCompare(b.folder)),
      places: this.clustersOf(matrix, PLACE_ZOOM, undefined),
      ...(Number.isFinite(first) ? { takenRange: { from: new Date(first).toISOString(), to: new Date(last).toISOString() } } : {}),
      years: [...years].map(([year, count]) => ({ year, count })).sort((a, b) => b.year - a.year),
    };
  }

  async clusters(query: ClusterQuery): Promise<PlaceCluster[]> {
    const matrix = this.sync();
    if (!matrix) return [];
    return this.clustersOf(matrix, query.zoom, rowPredicate(matrix, normalizeFilter(query.filter)));
  }

  /**
   * Photos with a position grouped by map tile (as Elasticsearch's geotile_grid groups them), with
   * their mean position and the newest photo of each tile as its representative.
   */
  private clustersOf(matrix: VectorMatrix, zoom: number, predicate: ((row: number) => boolean) | undefined): PlaceCluster[] {
    const { takenAt, lat, lon } = matrix.columns();
    const tiles = new Map<string, { lat: number; lon: number; count: number; row: number }>();
    for (let row = 0; row < matrix.size; row++) {
      const [rowLat, rowLon] = [lat[row]!, lon[row]!];
      if (Number.isNaN(rowLat) || (predicate && !predicate(row))) continue;
      const key = tileKey(rowLat, rowLon, zoom);
      const tile = tiles.get(key);
      if (!tile) {
        tiles.set(key, { lat: rowLat, lon: rowLon, count: 1, row });
        continue;
      }
      tile.lat += rowLat;
      tile.lon += rowLon;
      tile.count++;
      if (!(takenAt[tile.row]! >= takenAt[row]!)) tile.row = row; // newest (dated before undated)
    }
    const clusters = [...tiles.values()].sort((a, b) => b.count - a.count || a.lat / a.count - b.lat / b.count);
    const photos = this.photosByIds(clusters.slice(0, MAX_NAMED_CLUSTERS).map((tile) => matrix.idAt(tile.row)));
    return clusters.map((tile) => {
      const photoId = matrix.idAt(tile.row);
      const place = photos.get(photoId)?.place;
      return { lat: tile.lat / tile.count, lon: tile.lon / tile.count, count: tile.count, photoId, ...(place ? { place } : {}) };
    });
  }

  async count(filter?: SearchFilter): Promise<number> {
    const matrix = this.sync();
    if (!matrix) return 0;
    const predicate = rowPredicate(matrix, normalizeFilter(filter));
    if (!predicate) return matrix.size;
    let n = 0;
    for (let row = 0; row < matrix.size; row++) if (predicate(row)) n++;
    return n;
  }

  async status(): Promise<StoreStatus> {
    const model = await this.indexModel();
    return { kind: this.kind, reachable: true, indexExists: Boolean(model), count: await this.count(), model };
  }

  async refresh(): Promise<void> {
    // Writes are visible as soon as their transaction commits.
  }

  async close(): Promise<void> {
    await this.graph?.close();
    await this.rescorer.close();
    await this.snapshotting;
    if (this.matrix && this.rowsSinceSnapshot >= this.snapshotAfterRows) await this.saveSnapshot(this.matrix);
    this.db.close();
  }

  /** Where the in-memory matrix was loaded from (undefined before the first read): for the benchmark and tests. */
  get matrixOrigin(): "snapshot" | "database" | undefined {
    return this.origin;
  }

  /**
   * Starts the graph index if the library is large enough, and waits until it is loaded or built
   * and holds every photo; false when searches keep the exact scan. For tests and the benchmark:
   * the server never waits (searches scan every photo until the graph is ready).
   */
  async graphReady(): Promise<boolean> {
    this.sync();
    return (await this.graph?.ready()) ?? false;
  }

  /** The graph index's state, for tests and the benchmark. */
  graphInfo(): GraphInfo | undefined {
    return this.graph?.info();
  }

  private async requireModel(): Promise<IndexModel> {
    const model = await this.indexModel();
    if (!model) throw new AppError("store_unavailable", "the library has no index yet: call ensureIndex first");
    return model;
  }

  /**
   * Brings the in-memory matrix up to date with SQLite, reading only changes newer than the last
   * sync (another process, such as the ingest CLI, may have written). Cheap when nothing changed.
   * The first sync starts from the snapshot beside the database when there is a valid one.
   */
  private sync(): VectorMatrix | undefined {
    // An empty library may have been bound to another model since (by the ingest CLI, say).
    if (this.matrix?.size === 0 && Number(readMeta(this.db, "dims")) !== this.matrix.dims) this.matrix = undefined;
    if (!this.matrix) {
      const dims = Number(readMeta(this.db, "dims"));
      if (!dims) return undefined;
      this.open(dims);
      if (this.origin === "snapshot" && !this.caughtUpSnapshotAgrees()) {
        log("warn", "the vector matrix saved beside the library disagrees with it; loading from the database", { dataDir: this.dataDir });
        this.open(dims, { ignoreSnapshot: true });
      }
    }
    const matrix = this.catchUp(this.matrix!);
    if (!this.snapshotting && this.rowsSinceSnapshot >= Math.max(this.snapshotAfterRows, matrix.size / 2)) {
      this.snapshotting = this.saveSnapshot(matrix).finally(() => (this.snapshotting = undefined));
    }
    return matrix;
  }

  /** A new matrix: the snapshot's when it is valid (still to catch up), else an empty one sized for the library. */
  private open(dims: number, options: { ignoreSnapshot?: boolean } = {}): void {
    // Sized for the whole library up front: a million rows load without copying the buffers.
    const capacity = (this.sql.photoCount.get() as { n: number }).n;
    const restored = options.ignoreSnapshot ? undefined : this.restoreSnapshot(dims, capacity);
    this.matrix = restored?.matrix ?? new VectorMatrix(dims, capacity);
    this.syncedSeq = restored?.seq ?? 0;
    this.origin = restored ? "snapshot" : "database";
    this.rowsSinceSnapshot = 0;
    this.graph?.stop();
    this.graph = new LibraryGraph(this.matrix, {
      dataDir: this.dataDir,
      minRows: this.graphMinRows,
      savedToken: () => readMeta(this.db, GRAPH_META),
      nameSaved: (token) => writeTransaction(this.db, () => writeMeta(this.db, GRAPH_META, token)),
    });
  }

  private restoreSnapshot(dims: number, capacity: number) {
    const token = readMeta(this.db, SNAPSHOT_META);
    if (!token) return undefined;
    try {
      return readSnapshot(this.dataDir, { token, dims, latestSeq: Number(readMeta(this.db, "seq") ?? 0), capacity });
    } catch (error) {
      log("warn", "could not read the vector matrix saved beside the library; loading from the database", {
        dataDir: this.dataDir,
        error: String(error),
      });
      return undefined;
    }
  }

  /**
   * Catches a restored matrix up and checks it, in one read transaction (one state of the database):
   * it must hold as many rows as the database, and a sample of them exactly as SQLite has them.
   */
  private caughtUpSnapshotAgrees(): boolean {
    return this.db.transaction(() => {
      const matrix = this.catchUp(this.matrix!);
      if ((this.sql.photoCount.get() as { n: number }).n !== matrix.size) return false;
      return sampleRows(matrix.size, SNAPSHOT_SAMPLE).every((row) => {
        const stored = this.sql.storedState.get(matrix.idAt(row)) as StoredState | undefined;
        if (!stored) return false;
        const { folder, lat, lon } = stored;
        return rowAgrees(matrix, row, {
          rowid: stored.rowid,
          vector: fromBuffer(stored.vector),
          folder,
          takenAtMs: stored.taken_at_ms,
          lat,
          lon,
          country: stored.place_country_code,
        });
      });
    })();
  }

  /** Applies the changes after `syncedSeq`, read in one transaction so they are one consistent state. */
  private catchUp(matrix: VectorMatrix): VectorMatrix {
    this.db.transaction(() => {
      const since = this.syncedSeq;
      const changed = this.sql.changedSince.iterate(since) as IterableIterator<SyncRow>;
      let latest = since;
      let read = 0;
      for (const row of changed) {
        const vectorChanged = matrix.upsert(row.id, fromBuffer(row.vector), {
          rowid: row.rowid,
          folder: row.folder,
          takenAtMs: row.taken_at_ms ?? undefined,
          location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : undefined,
          country: row.place_country_code ?? undefined,
        });
        if (vectorChanged) this.graph?.changed(row.id, true);
        latest = Math.max(latest, row.seq);
        read++;
      }
      const removed = this.sql.tombstonesSince.all(since) as { id: string; seq: number }[];
      for (const { id, seq } of removed) {
        // A photo deleted and later re-added has a newer row; keep it.
        const current = this.sql.seqOf.get(id) as { seq: number } | undefined;
        if (!current || current.seq < seq) {
          matrix.remove(id);
          this.graph?.changed(id, false);
        }
        latest = Math.max(latest, seq);
      }
      this.syncedSeq = latest;
      this.rowsSinceSnapshot += read + removed.length;
    })();
    return matrix;
  }

  /** Saves the matrix beside the database and names it in the database; a failure only costs the next start time. */
  private async saveSnapshot(matrix: VectorMatrix): Promise<void> {
    this.rowsSinceSnapshot = 0;
    try {
      const token = await writeSnapshot(this.dataDir, matrix, this.syncedSeq);
      await writeTransaction(this.db, () => writeMeta(this.db, SNAPSHOT_META, token));
    } catch (error) {
      log("warn", "could not save the vector matrix beside the library; the next start reads it from the database", {
        dataDir: this.dataDir,
        error: String(error),
      });
    }
  }

  /**
   * Candidates' exact scores, read by rowid (taken here, before any await, while `rows` still name the
   * scanned photos), which skips the id index: in the rescoring thread for a large library, else in
   * this one. A rowid that by the answer holds another photo (deleted and re-added by another
   * process) or none is read by id: ids stay valid across the await, rows do not.
   */
  private async candidateScores(matrix: VectorMatrix, rows: readonly number[], ids: readonly string[], query: Float32Array) {
    const { rowids } = matrix.columns();
    const asked = Float64Array.from(rows, (row) => rowids[row]!);
    const threaded = matrix.size >= this.rescoreThreadMinRows ? await this.rescorer.score(asked, query) : undefined;
    const answer = threaded ?? scoreByRowids(this.sql.vectorsByRowids, asked, query);
    const scores: (number | undefined)[] = ids.map((id, i) => (answer.ids[i] === id ? answer.scores[i] : undefined));
    const missing = ids.filter((_, i) => scores[i] === undefined);
    if (missing.length > 0) {
      const vectors = this.vectorsByIds(missing);
      ids.forEach((id, i) => {
        const vector = scores[i] === undefined ? vectors.get(id) : undefined;
        if (vector) scores[i] = dot(vector, query);
      });
    }
    return scores;
  }

  /**
   * Rows by id in one statement: the rescoring reads a few hundred vectors per query, and one
   * statement over a JSON list of ids costs about two thirds of as many single-row statements.
   */
  private vectorsByIds(ids: readonly string[]): Map<string, Float32Array> {
    const rows = this.sql.vectorsByIds.all(JSON.stringify(ids)) as { id: string; vector: Buffer }[];
    return new Map(rows.map(({ id, vector }) => [id, fromBuffer(vector)]));
  }

  private photosByIds(ids: readonly string[]): Map<string, Photo> {
    const rows = this.sql.photosByIds.all(JSON.stringify(ids)) as PhotoRow[];
    return new Map(rows.map((row) => [row.id, rowToPhoto(row)]));
  }
}

function prepareStatements(db: Db) {
  return {
    photoById: db.prepare(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE id = ?`),
    vectorById: db.prepare("SELECT vector FROM photos WHERE id = ?"),
    vectorsByIds: db.prepare("SELECT id, vector FROM photos WHERE id IN (SELECT value FROM json_each(?))"),
    vectorsByRowids: db.prepare(VECTORS_BY_ROWIDS),
    photosByIds: db.prepare(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE id IN (SELECT value FROM json_each(?))`),
    photoCount: db.prepare("SELECT count(*) AS n FROM photos"),
    pageAfter: db.prepare(`SELECT ${PHOTO_COLUMNS}, vector FROM photos WHERE id > ? ORDER BY id LIMIT ?`),
    rowidOf: db.prepare("SELECT rowid FROM photos WHERE id = ?"),
    // Unplaced: a position without names, or named before regions were stored (the next ingest adds them).
    locationOf: db.prepare("SELECT id, root, path, (lat IS NOT NULL AND place_region IS NULL) AS unplaced FROM photos WHERE id = ?"),
    rootsInside: db.prepare("SELECT id, root, path FROM photos WHERE root = ? OR substr(root, 1, ?) = ?"),
    pathsBelow: db.prepare("SELECT id, root, path FROM photos WHERE root = ? AND substr(path, 1, ?) = ?"),
    anyPhoto: db.prepare("SELECT 1 FROM photos LIMIT 1"),
    seqOf: db.prepare("SELECT seq FROM photos WHERE id = ?"),
    storedState: db.prepare("SELECT rowid, vector, folder, taken_at_ms, lat, lon, place_country_code FROM photos WHERE id = ?"),
    changedSince: db.prepare(
      "SELECT rowid, id, seq, folder, taken_at_ms, lat, lon, place_country_code, vector FROM photos WHERE seq > ? ORDER BY seq",
    ),
    tombstonesSince: db.prepare("SELECT id, seq FROM tombstones WHERE seq > ?"),
    deleteFts: db.prepare("DELETE FROM photos_fts WHERE rowid = ?"),
    deletePhoto: db.prepare("DELETE FROM photos WHERE rowid = ?"),
    insertTombstone: db.prepare("INSERT INTO tombstones (id, seq) VALUES (?, ?)"),
  };
}
