/**
 * The graph index saved beside the database, so that a restart loads it in seconds instead of
 * building it again (a quarter of an hour at a million photos). Two files named by a random token:
 * usearch's own file (`library.graph-<token>.usearch`) and ours with each key's photo and row hash
 * (`library.graph-<token>.keys`). Both are written whole, flushed and renamed into place before the
 * database's meta table names the token, so a half-written pair is never read.
 *
 * Loading trusts nothing in them beyond their shape: every entry is checked against the current
 * matrix (itself checked against SQLite, index.ts) by its row hash, the photos without a matching
 * entry become pending (scanned exactly, then folded in), and a sample of entries searched with
 * their row's code must find themselves at distance 0 (this fails for a usearch file that is not the
 * keys file's, or whose codes were taken otherwise). A graph that matches less than half of the
 * library is not worth loading: it is built again.
 *
 * Keys layout: "PSGRAPHK", a uint32 LE header length, the JSON header (format, token, dims, the
 * centre the photos' codes were taken with, ids), then one uint32 LE row hash per key. Format 1 was
 * a graph over the int8 rows themselves, format 2 the same codes with 16 links per node (a graph
 * that could not reach about one photo in a hundred at a million): their files are not read (a
 * different format is built again).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { GraphIndex, newIndex } from "./graph-index";
import type { VectorMatrix } from "./vector-matrix";

const PREFIX = "library.graph-";
const MAGIC = Buffer.from("PSGRAPHK");
/** 3: 1-bit codes centred on `centre`, 32 links per node (graph-index.ts). Any other format is built again, never read. */
const FORMAT = 3;
/** Entries searched for themselves when a graph is loaded. */
const SELF_CHECKS = 16;
/** Files of no token the database names are removed once this old (another process may be about to name its own). */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

interface Header {
  format: number;
  token: string;
  dims: number;
  /** The threshold of the photos' codes, one per dimension (JSON numbers hold float32s exactly). */
  centre: number[];
  ids: string[];
}

const filesOf = (dataDir: string, token: string) => ({
  index: path.join(dataDir, `${PREFIX}${token}.usearch`),
  keys: path.join(dataDir, `${PREFIX}${token}.keys`),
});

/**
 * Writes the graph to new files and returns their token (the caller names it in the database).
 * Both files are written before the first await: the graph may change once this yields.
 */
export async function saveGraph(dataDir: string, graph: GraphIndex, dims: number): Promise<string> {
  const token = crypto.randomUUID();
  const files = filesOf(dataDir, token);
  const temporary = { index: `${files.index}.${process.pid}.tmp`, keys: `${files.keys}.${process.pid}.tmp` };
  try {
    graph.index.save(temporary.index);
    const { ids, hashes } = graph.keys();
    const header = Buffer.from(JSON.stringify({ format: FORMAT, token, dims, centre: Array.from(graph.centre), ids } satisfies Header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    const littleEndian = Buffer.alloc(hashes.length * 4);
    hashes.forEach((h, i) => littleEndian.writeUInt32LE(h, i * 4));
    fs.writeFileSync(temporary.keys, Buffer.concat([MAGIC, length, header, littleEndian]));
    await Promise.all([flush(temporary.index), flush(temporary.keys)]);
    fs.renameSync(temporary.index, files.index);
    fs.renameSync(temporary.keys, files.keys);
    return token;
  } catch (error) {
    for (const file of [...Object.values(temporary), ...Object.values(files)]) fs.rmSync(file, { force: true });
    throw error;
  }
}

/**
 * The saved graph the database names, checked against `matrix`, or undefined when its files are
 * missing, of another format or other dimensions, or match too little of the library. Throws when
 * they are damaged.
 */
export function loadGraph(dataDir: string, token: string, matrix: VectorMatrix): GraphIndex | undefined {
  const files = filesOf(dataDir, token);
  // turbopackIgnore: paths in DATA_DIR, known only at run time; without it output tracing copies the
  // whole project into the standalone server (and the container image).
  if (!fs.existsSync(/* turbopackIgnore: true */ files.index) || !fs.existsSync(/* turbopackIgnore: true */ files.keys)) return undefined;
  const bytes = fs.readFileSync(/* turbopackIgnore: true */ files.keys);
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("the graph's keys file is not one");
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  const header = JSON.parse(bytes.subarray(MAGIC.length + 4, start).toString("utf8")) as Header;
  if (header.format !== FORMAT || header.token !== token || header.dims !== matrix.dims) return undefined;
  if (!validCentre(header.centre, matrix.dims)) throw new Error("the graph's keys file holds no valid centre");
  if (bytes.length !== start + header.ids.length * 4) throw new Error("the graph's keys file holds the wrong number of bytes");
  const hashes = new Uint32Array(header.ids.length);
  hashes.forEach((_, i) => (hashes[i] = bytes.readUInt32LE(start + i * 4)));
  const index = newIndex(matrix.dims);
  index.load(files.index);
  if (index.size() !== header.ids.length) throw new Error(`the graph holds ${index.size()} entries, its keys file ${header.ids.length}`);
  const graph = new GraphIndex(matrix, index, { ids: header.ids, hashes }, Float32Array.from(header.centre));
  const covered = new Uint8Array(matrix.size);
  const live: number[] = [];
  for (let key = 0; key < header.ids.length; key++) {
    const row = graph.currentRow(key);
    if (row === undefined) continue;
    covered[row] = 1;
    live.push(key);
  }
  if (live.length < matrix.size / 2) return undefined;
  if (!findsItself(graph, live)) throw new Error("the graph's entries do not find themselves: its files do not belong together");
  for (let row = 0; row < matrix.size; row++) if (!covered[row]) graph.changed(matrix.idAt(row), true);
  return graph;
}

function validCentre(centre: unknown, dims: number): centre is number[] {
  return Array.isArray(centre) && centre.length === dims && centre.every((c) => typeof c === "number" && Number.isFinite(c));
}

/**
 * Whether most of a sample of live entries find themselves, at distance 0, when the graph is
 * searched with their row's code (HNSW may miss a few).
 */
function findsItself(graph: GraphIndex, live: number[]): boolean {
  const sample = Array.from({ length: Math.min(SELF_CHECKS, live.length) }, (_, i) => live[Math.floor((i * live.length) / SELF_CHECKS)]!);
  return sample.filter((key) => graph.holdsItsCode(key)).length >= sample.length * 0.75;
}

/** Removes the files of `replaced` (a token no longer named) and orphans older than an hour, except `keep`'s. */
export function removeOldGraphs(dataDir: string, keep: string, replaced: string | undefined): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dataDir)) {
    if (!name.startsWith(PREFIX) || name.includes(keep)) continue;
    const file = path.join(dataDir, name);
    try {
      if ((replaced && name.includes(replaced)) || now - fs.statSync(file).mtimeMs > ORPHAN_AGE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

function flush(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(file, "r+", (error, fd) => {
      if (error) return reject(error);
      fs.fsync(fd, (syncError) => fs.close(fd, () => (syncError ? reject(syncError) : resolve())));
    });
  });
}
