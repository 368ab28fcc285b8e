/**
 * The embedded store's fp32 scan before it quantized its matrix, kept as the benchmark's same-run baseline.
 *
 * The embedded store's in-memory mirror of what it needs to scan fast: unit vectors stored
 * column-major in fixed blocks (each block is `dims` rows of BLOCK_COLUMNS floats, one column per
 * photo), plus columnar copies of the fields filters look at. SQLite stays the source of truth;
 * this is rebuilt from it on open and kept in step by `upsert`/`remove`.
 *
 * Why column-major blocks: a query times a [dims, n] block streams contiguous memory and runs about
 * twice as fast as n separate dot products over row-major vectors (docs/embedded-store.md), and fixed
 * blocks let photos be appended without re-laying-out what is already there.
 */
import type { GeoPoint } from "@/lib/store/types";

export const BLOCK_COLUMNS = 16_384;

export interface RowFields {
  takenAtMs?: number;
  location?: GeoPoint;
  folder: string;
}

export class VectorMatrix {
  private readonly blocks: Float32Array[] = [];
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

  /** Blocks in order; row r is column r % BLOCK_COLUMNS of block floor(r / BLOCK_COLUMNS). */
  columnBlocks(): readonly Float32Array[] {
    return this.blocks;
  }

  idAt(row: number): string {
    const id = this.ids[row];
    if (id === undefined) throw new RangeError(`row ${row} is outside the matrix (${this.size} rows)`);
    return id;
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  vectorOf(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    const block = this.blockOf(row);
    const column = row % BLOCK_COLUMNS;
    const vector = new Float32Array(this.dims);
    for (let d = 0; d < this.dims; d++) vector[d] = block[d * BLOCK_COLUMNS + column]!;
    return vector;
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
    const block = this.blockOf(row);
    const column = row % BLOCK_COLUMNS;
    for (let d = 0; d < this.dims; d++) block[d * BLOCK_COLUMNS + column] = vector[d]!;
    this.takenAt[row] = fields.takenAtMs ?? Number.NaN;
    this.lat[row] = fields.location?.lat ?? Number.NaN;
    this.lon[row] = fields.location?.lon ?? Number.NaN;
    this.folderOf[row] = this.folderId(fields.folder);
  }

  /** Removes a row by moving the last row into its place, keeping the rows dense. */
  remove(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    const last = this.size - 1;
    if (row !== last) {
      const lastId = this.idAt(last);
      const from = this.blockOf(last);
      const to = this.blockOf(row);
      const [fromColumn, toColumn] = [last % BLOCK_COLUMNS, row % BLOCK_COLUMNS];
      for (let d = 0; d < this.dims; d++) to[d * BLOCK_COLUMNS + toColumn] = from[d * BLOCK_COLUMNS + fromColumn]!;
      this.takenAt[row] = this.takenAt[last]!;
      this.lat[row] = this.lat[last]!;
      this.lon[row] = this.lon[last]!;
      this.folderOf[row] = this.folderOf[last]!;
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

  private blockOf(row: number): Float32Array {
    const block = this.blocks[Math.floor(row / BLOCK_COLUMNS)];
    if (!block) throw new RangeError(`row ${row} is outside the matrix's blocks`);
    return block;
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
    while (this.blocks.length * BLOCK_COLUMNS < rows) this.blocks.push(new Float32Array(this.dims * BLOCK_COLUMNS));
    const capacity = this.blocks.length * BLOCK_COLUMNS;
    if (this.takenAt.length >= capacity) return;
    const resize = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.takenAt = resize(this.takenAt, (n) => new Float64Array(n));
    this.lat = resize(this.lat, (n) => new Float64Array(n));
    this.lon = resize(this.lon, (n) => new Float64Array(n));
    this.folderOf = resize(this.folderOf, (n) => new Int32Array(n));
  }
}
