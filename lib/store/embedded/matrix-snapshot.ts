/**
 * The int8 matrix saved beside the database (DATA_DIR/library.matrix), so that a large library
 * opens without reading every fp32 vector back from SQLite and quantizing it again (at a million
 * photos that is 2 GB of blobs; the snapshot is a quarter of it, read straight into the matrix's
 * buffers). SQLite stays the source of truth: a snapshot records the change number (`seq`) it was
 * taken at and a random token that the database's meta table names once the file is complete. The
 * store trusts a snapshot only when the token matches and its seq is not ahead of the database,
 * then catches up on the changes since, and checks a sample of rows against SQLite (index.ts); any
 * doubt means a full load from SQLite, as before snapshots existed.
 *
 * Layout: "PSMATRIX", a uint32 LE header length, the JSON header (format, token, seq, dims, ids,
 * folders, countries), then the arrays of MatrixArrays in their declared order, little-endian.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { quantizeStored } from "./quantize";
import { VectorMatrix, type MatrixArrays, type MatrixLists } from "./vector-matrix";

export const SNAPSHOT_FILE = "library.matrix";
const MAGIC = Buffer.from("PSMATRIX");
/** 2: rowids added after the vectors (a format-1 file is not read: the library loads from SQLite once). */
const FORMAT = 2;
const PREAMBLE = MAGIC.length + 4;
/** The arrays' order in the file. */
const ARRAYS = ["rows", "rowids", "takenAt", "lat", "lon", "folderOf", "countryOf"] as const satisfies readonly (keyof MatrixArrays)[];
const inFileOrder = (arrays: MatrixArrays): ArrayBufferView[] => ARRAYS.map((name) => arrays[name]);

interface Header extends MatrixLists {
  format: number;
  token: string;
  seq: number;
  dims: number;
}

/** What the database says a usable snapshot must be. */
export interface SnapshotExpectation {
  token: string;
  dims: number;
  /** The database's newest change number: a snapshot past it belongs to another history. */
  latestSeq: number;
  /** Rows to allocate room for (the library's current size), so catching up does not copy the buffers. */
  capacity: number;
}

/**
 * Writes `matrix`, as synced up to change `seq`, to a temporary file, flushes it to disk and
 * renames it over the snapshot; returns its token, which the caller records in the database. The
 * bytes are written before the first await: the matrix may change once this yields.
 */
export async function writeSnapshot(dataDir: string, matrix: VectorMatrix, seq: number): Promise<string> {
  const token = crypto.randomUUID();
  const { lists, arrays } = matrix.contents();
  const header = Buffer.from(JSON.stringify({ format: FORMAT, token, seq, dims: matrix.dims, ...lists } satisfies Header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const file = path.join(dataDir, SNAPSHOT_FILE);
  const temporary = `${file}.${process.pid}.${token.slice(0, 8)}.tmp`;
  const fd = fs.openSync(temporary, "w");
  try {
    for (const part of [MAGIC, length, header, ...inFileOrder(arrays)]) writeAll(fd, part);
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temporary, file);
  return token;
}

/**
 * The snapshot's matrix and the seq it was taken at, or undefined when there is no snapshot or it
 * is not the one the database names (written by a process that did not finish, or a database
 * restored from a copy). Throws when the file is the named one but damaged.
 */
export function readSnapshot(dataDir: string, expected: SnapshotExpectation): { matrix: VectorMatrix; seq: number } | undefined {
  const file = path.join(dataDir, SNAPSHOT_FILE);
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const preamble = readExactly(fd, Buffer.alloc(PREAMBLE), 0);
    if (!preamble.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const headerLength = preamble.readUInt32LE(MAGIC.length);
    const header = JSON.parse(readExactly(fd, Buffer.alloc(headerLength), PREAMBLE).toString("utf8")) as Header;
    // Another model's (an emptied library bound anew): not an error, just not this library's vectors.
    if (header.format !== FORMAT || header.token !== expected.token || header.dims !== expected.dims) return undefined;
    if (header.seq > expected.latestSeq)
      throw new Error(`the snapshot is of change ${header.seq}, the library's newest is ${expected.latestSeq}`);
    const rows = header.ids.length;
    const matrix = new VectorMatrix(header.dims, Math.max(rows, expected.capacity));
    let at = PREAMBLE + headerLength;
    matrix.restore(header, (arrays: MatrixArrays) => {
      const expectedBytes = at + inFileOrder(arrays).reduce((sum, a) => sum + a.byteLength, 0);
      if (fs.fstatSync(fd).size !== expectedBytes) throw new Error(`the snapshot holds the wrong number of bytes for ${rows} rows`);
      for (const array of inFileOrder(arrays)) {
        readExactly(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
        at += array.byteLength;
      }
    });
    return { matrix, seq: header.seq };
  } finally {
    fs.closeSync(fd);
  }
}

/** The stored state of one photo, as SQLite holds it, for checking a restored matrix. */
export interface StoredRow {
  rowid: number;
  vector: Float32Array;
  folder: string;
  takenAtMs: number | null;
  lat: number | null;
  lon: number | null;
  country: string | null;
}

/** Whether row `row` of the matrix holds exactly what loading `stored` from SQLite would put there. */
export function rowAgrees(matrix: VectorMatrix, row: number, stored: StoredRow): boolean {
  const { dims } = matrix;
  if (stored.vector.length !== dims) return false;
  const expected = new Int8Array(dims);
  quantizeStored(stored.vector, expected, 0);
  const actual = matrix.quantizedRows().subarray(row * dims, (row + 1) * dims);
  if (!actual.every((v, d) => v === expected[d])) return false;
  const { rowids, takenAt, lat, lon, folderOf, folders, countryOf, countries } = matrix.columns();
  const same = (value: number, stored: number | null) => (stored === null ? Number.isNaN(value) : value === stored);
  return (
    rowids[row] === stored.rowid &&
    folders[folderOf[row]!] === stored.folder &&
    same(takenAt[row]!, stored.takenAtMs) &&
    same(lat[row]!, stored.lat !== null && stored.lon !== null ? stored.lat : null) &&
    same(lon[row]!, stored.lat !== null && stored.lon !== null ? stored.lon : null) &&
    (countryOf[row] === -1 ? stored.country === null : countries[countryOf[row]!] === stored.country)
  );
}

/** Rows spread evenly over the matrix (and its last row), for the sample check. */
export function sampleRows(size: number, count: number): number[] {
  if (size === 0) return [];
  const rows = new Set<number>([size - 1]);
  for (let i = 0; i < count; i++) rows.add(Math.floor((i * size) / count));
  return [...rows];
}

function writeAll(fd: number, view: ArrayBufferView): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const chunk = 64 * 1048576;
  for (let at = 0; at < bytes.byteLength;) at += fs.writeSync(fd, bytes, at, Math.min(chunk, bytes.byteLength - at));
}

function readExactly<T extends Uint8Array>(fd: number, into: T, position: number): T {
  const chunk = 64 * 1048576;
  for (let at = 0; at < into.byteLength;) {
    const read = fs.readSync(fd, into, at, Math.min(chunk, into.byteLength - at), position + at);
    if (read === 0) throw new Error("the snapshot ends early");
    at += read;
  }
  return into;
}
