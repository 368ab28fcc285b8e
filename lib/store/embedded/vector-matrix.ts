/**
 * The embedded store's in-memory mirror of what it needs to search fast: every photo's vector
 * quantized to int8 (quantize.ts), row-major in one contiguous buffer, plus columnar copies of the
 * fields filters look at. The fp32 vectors stay in SQLite, the source of truth, and are read back
 * only for the few candidates a search rescores: a million 512-d photos hold 512 MB here instead
 * of 2 GB. Rebuilt from SQLite on open (an old library needs no conversion), or restored from its
 * snapshot beside the database (matrix-snapshot.ts), and kept in step by `upsert`/`remove`.
 */
import type { GeoPoint } from "@/lib/store/types";
import { quantizeStored } from "./quantize";

export interface RowFields {
  /**
   * The photo's SQLite rowid: the rescoring reads candidates' fp32 vectors by rowid, a third
   * cheaper than through the id index. Absent for matrices not loaded from a database (benches).
   */
  rowid?: number;
  takenAtMs?: number;
  location?: GeoPoint;
  folder: string;
  /** The place's country code, when the photo has a place. */
  country?: string;
}

/** The lists a snapshot of the matrix holds (matrix-snapshot.ts); row r's id is ids[r]. */
export interface MatrixLists {
  ids: readonly string[];
  folders: readonly string[];
  countries: readonly string[];
}

/** The matrix's arrays, each cut to its rows (row-major int8 vectors, then one entry per row). */
export interface MatrixArrays {
  rows: Int8Array;
  rowids: Float64Array;
  takenAt: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  folderOf: Int32Array;
  countryOf: Int32Array;
}

/** Rows allocated at first; capacity doubles from there. */
const INITIAL_CAPACITY = 1_024;

export class VectorMatrix {
  private rows: Int8Array;
  /** SQLite rowid per row (NaN when unknown); integers below 2^53 are exact in a double. */
  private rowids: Float64Array;
  private takenAt: Float64Array;
  private lat: Float64Array;
  private lon: Float64Array;
  private folderOf: Int32Array;
  private readonly folders: string[] = [];
  private readonly folderIds = new Map<string, number>();
  /** Country per row as an index into `countries`, -1 for none. */
  private countryOf: Int32Array;
  private readonly countries: string[] = [];
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();

  /** `expectedRows` sizes the buffers up front (a library being loaded), so loading never copies them. */
  constructor(
    readonly dims: number,
    expectedRows = 0,
  ) {
    const capacity = Math.max(INITIAL_CAPACITY, expectedRows);
    this.rows = new Int8Array(capacity * dims);
    this.rowids = new Float64Array(capacity);
    this.takenAt = new Float64Array(capacity);
    this.lat = new Float64Array(capacity);
    this.lon = new Float64Array(capacity);
    this.folderOf = new Int32Array(capacity);
    this.countryOf = new Int32Array(capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The quantized vectors of rows 0..size-1, row-major (row r at r * dims). */
  quantizedRows(): Int8Array {
    return this.rows.subarray(0, this.size * this.dims);
  }

  idAt(row: number): string {
    const id = this.ids[row];
    if (id === undefined) throw new RangeError(`row ${row} is outside the matrix (${this.size} rows)`);
    return id;
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  /**
   * Adds or replaces a row; returns whether its quantized vector is new or changed (a photo that
   * only moved or gained a place keeps the same one, so the graph index need not re-add it).
   */
  upsert(id: string, vector: Float32Array, fields: RowFields): boolean {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dims, index has ${this.dims}`);
    let row = this.rowOf.get(id);
    let changed = true;
    if (row === undefined) {
      row = this.size;
      this.ensureCapacity(row + 1);
      this.ids.push(id);
      this.rowOf.set(id, row);
      quantizeStored(vector, this.rows, row * this.dims);
    } else {
      const quantized = new Int8Array(this.dims);
      quantizeStored(vector, quantized, 0);
      const current = this.rows.subarray(row * this.dims, (row + 1) * this.dims);
      changed = !quantized.every((v, d) => v === current[d]);
      current.set(quantized);
    }
    this.rowids[row] = fields.rowid ?? Number.NaN;
    this.takenAt[row] = fields.takenAtMs ?? Number.NaN;
    this.lat[row] = fields.location?.lat ?? Number.NaN;
    this.lon[row] = fields.location?.lon ?? Number.NaN;
    this.folderOf[row] = this.folderId(fields.folder);
    this.countryOf[row] = fields.country ? this.countryId(fields.country) : -1;
    return changed;
  }

  /** Removes a row by moving the last row into its place, keeping the rows dense. */
  remove(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    const last = this.size - 1;
    if (row !== last) {
      const lastId = this.idAt(last);
      this.rows.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.rowids[row] = this.rowids[last]!;
      this.takenAt[row] = this.takenAt[last]!;
      this.lat[row] = this.lat[last]!;
      this.lon[row] = this.lon[last]!;
      this.folderOf[row] = this.folderOf[last]!;
      this.countryOf[row] = this.countryOf[last]!;
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
  }

  /** Everything the matrix holds, as views (no copies), for writing a snapshot. */
  contents(): { lists: MatrixLists; arrays: MatrixArrays } {
    return {
      lists: { ids: this.ids, folders: this.folders, countries: this.countries },
      arrays: this.arraysOf(this.size),
    };
  }

  /**
   * Fills an empty matrix from a snapshot: the lists are copied in, and `fill` writes the arrays'
   * first rows (views of this matrix's own buffers, so nothing is copied twice). Throws, leaving the
   * matrix unusable, when the lists contradict each other or the arrays.
   */
  restore(lists: MatrixLists, fill: (arrays: MatrixArrays) => void): void {
    if (this.size !== 0) throw new Error("restore needs an empty matrix");
    const size = lists.ids.length;
    this.ensureCapacity(size);
    fill(this.arraysOf(size));
    lists.ids.forEach((id, row) => {
      this.ids.push(id);
      this.rowOf.set(id, row);
    });
    lists.folders.forEach((folder, i) => {
      this.folders.push(folder);
      this.folderIds.set(folder, i);
    });
    this.countries.push(...lists.countries);
    const valid =
      this.rowOf.size === size &&
      this.folderIds.size === this.folders.length &&
      this.folderOf.subarray(0, size).every((f) => f >= 0 && f < this.folders.length) &&
      this.countryOf.subarray(0, size).every((c) => c >= -1 && c < this.countries.length);
    if (!valid) throw new Error("the snapshot's rows, ids and folders do not agree");
  }

  /** Column access for tight filter loops. */
  columns() {
    return {
      rowids: this.rowids,
      takenAt: this.takenAt,
      lat: this.lat,
      lon: this.lon,
      folderOf: this.folderOf,
      folders: this.folders,
      countryOf: this.countryOf,
      countries: this.countries,
    };
  }

  private arraysOf(size: number): MatrixArrays {
    return {
      rows: this.rows.subarray(0, size * this.dims),
      rowids: this.rowids.subarray(0, size),
      takenAt: this.takenAt.subarray(0, size),
      lat: this.lat.subarray(0, size),
      lon: this.lon.subarray(0, size),
      folderOf: this.folderOf.subarray(0, size),
      countryOf: this.countryOf.subarray(0, size),
    };
  }

  private folderId(folder: string): number {
    let id = this.folderIds.get(folder);
    if (id === undefined) {
      id = this.folders.length;
      this.folders.push(folder);
      this.folderIds.set(folder, id);
    }
    return id;
  }

  private countryId(country: string): number {
    const id = this.countries.indexOf(country); // a few hundred at most
    if (id >= 0) return id;
    this.countries.push(country);
    return this.countries.length - 1;
  }

  private ensureCapacity(rows: number): void {
    const capacity = this.takenAt.length;
    if (rows <= capacity) return;
    const next = Math.max(rows, capacity * 2);
    const grown = <T extends Int8Array | Float64Array | Int32Array>(old: T, make: (n: number) => T, width = 1): T => {
      const copy = make(next * width);
      copy.set(old);
      return copy;
    };
    this.rows = grown(this.rows, (n) => new Int8Array(n), this.dims);
    this.rowids = grown(this.rowids, (n) => new Float64Array(n));
    this.takenAt = grown(this.takenAt, (n) => new Float64Array(n));
    this.lat = grown(this.lat, (n) => new Float64Array(n));
    this.lon = grown(this.lon, (n) => new Float64Array(n));
    this.folderOf = grown(this.folderOf, (n) => new Int32Array(n));
    this.countryOf = grown(this.countryOf, (n) => new Int32Array(n));
  }
}
