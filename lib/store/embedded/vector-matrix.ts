/**
 * The embedded store's in-memory mirror of what it needs to scan fast: one contiguous Float32Array
 * of unit vectors (row-major) plus columnar copies of the fields filters look at. SQLite stays the
 * source of truth; this is rebuilt from it on open and kept in step by `upsert`/`remove`.
 */
import type { GeoPoint } from "@/lib/store/types";

export interface RowFields {
  takenAtMs?: number;
  location?: GeoPoint;
  folder: string;
}

export class VectorMatrix {
  private capacity = 0;
  private matrix = new Float32Array(0);
  private takenAt = new Float64Array(0);
  private lat = new Float64Array(0);
  private lon = new Float64Array(0);
  private folderOf = new Int32Array(0);
  private readonly folders: string[] = [];
  private readonly folderIds = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(readonly dims: number) {}

  get size(): number {
    return this.ids.length;
  }

  /** The live part of the matrix, rows × dims; a view, not a copy. */
  view(): Float32Array {
    return this.matrix.subarray(0, this.size * this.dims);
  }

  idAt(row: number): string {
    return this.ids[row];
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  vectorOf(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    return this.matrix.slice(row * this.dims, (row + 1) * this.dims);
  }

  upsert(id: string, vector: Float32Array, fields: RowFields): void {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dims, index has ${this.dims}`);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.size;
      this.grow(row + 1);
      this.ids.push(id);
      this.rowOf.set(id, row);
    }
    this.matrix.set(vector, row * this.dims);
    this.takenAt[row] = fields.takenAtMs ?? Number.NaN;
    this.lat[row] = fields.location?.lat ?? Number.NaN;
    this.lon[row] = fields.location?.lon ?? Number.NaN;
    this.folderOf[row] = this.folderId(fields.folder);
  }

  /** Removes a row by moving the last row into its place, keeping the matrix dense. */
  remove(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    const last = this.size - 1;
    if (row !== last) {
      const lastId = this.ids[last];
      this.matrix.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.takenAt[row] = this.takenAt[last];
      this.lat[row] = this.lat[last];
      this.lon[row] = this.lon[last];
      this.folderOf[row] = this.folderOf[last];
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
  }

  /** Column access for tight filter loops. */
  columns() {
    return { takenAt: this.takenAt, lat: this.lat, lon: this.lon, folderOf: this.folderOf, folders: this.folders };
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
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

  private grow(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(1024, this.capacity * 2, rows);
    const resize = <T extends Float32Array | Float64Array | Int32Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old.subarray(0, this.size * width));
      return next;
    };
    this.matrix = resize(this.matrix, (n) => new Float32Array(n), this.dims);
    this.takenAt = resize(this.takenAt, (n) => new Float64Array(n));
    this.lat = resize(this.lat, (n) => new Float64Array(n));
    this.lon = resize(this.lon, (n) => new Float64Array(n));
    this.folderOf = resize(this.folderOf, (n) => new Int32Array(n));
    this.capacity = capacity;
  }
}
