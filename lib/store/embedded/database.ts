/**
 * The embedded store's durable state: one SQLite file in WAL mode. Every write is a transaction,
 * so an interrupted process leaves either the old or the new state, never a torn one; `seq`
 * numbers every change so other processes (the server while the ingest CLI writes) can catch up
 * by reading only what changed.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { AppError } from "@/lib/errors";
import { ftsColumns, PHOTO_COLUMNS, rowToPhoto, type PhotoRow } from "./rows";

export type Db = Database.Database;

/** The full-text columns; `place` came later (lib/places), and migrate() adds it to older libraries. */
const FTS_COLUMNS = "name, folder, caption, tags, extra, place";
const PLACE_COLUMNS = ["place_city", "place_region", "place_country_code", "place_country"];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS photos (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  seq INTEGER NOT NULL,
  root TEXT NOT NULL,
  path TEXT NOT NULL,
  folder TEXT NOT NULL,
  name TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  mime TEXT NOT NULL,
  taken_at TEXT,
  taken_at_ms INTEGER,
  lat REAL,
  lon REAL,
  place_city TEXT,
  place_region TEXT,
  place_country_code TEXT,
  place_country TEXT,
  camera TEXT,
  caption TEXT,
  tags TEXT NOT NULL,
  extra TEXT NOT NULL,
  url TEXT,
  copies TEXT,
  indexed_at TEXT NOT NULL,
  vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS photos_seq ON photos(seq);
CREATE INDEX IF NOT EXISTS photos_taken ON photos(taken_at_ms);
CREATE TABLE IF NOT EXISTS tombstones (id TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones(seq);
CREATE VIRTUAL TABLE IF NOT EXISTS photos_fts USING fts5(${FTS_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2');
`;

/** Libraries made before a column existed get it (NULL for every row), so an old DATA_DIR keeps working. */
function addColumnIfMissing(db: Db, table: string, column: string, type: string): void {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

/**
 * How long SQLite itself waits for a lock, blocking the thread: short, so the server's event loop
 * never stalls for long. Write transactions wait longer by retrying asynchronously (writeTransaction).
 */
const BUSY_TIMEOUT_MS = 100;
/** Opening may create the schema, which needs the write lock: wait as long as a writer may hold it. */
const OPEN_BUSY_TIMEOUT_MS = 30_000;
/** A writer that cannot get the lock for this long reports it rather than waiting forever. */
const WRITE_WAIT_LIMIT_MS = 120_000;

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, "library.db"));
  // Before anything else: switching to WAL and creating the schema take locks another process may hold.
  db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk when upsert() resolves; batches are large, so the fsyncs are few.
  db.pragma("synchronous = FULL");
  db.exec(SCHEMA);
  addColumnIfMissing(db, "photos", "copies", "TEXT");
  migrate(db);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * A library made before places existed lacks the place columns and the full-text `place` column:
 * they are added (FTS5 tables cannot gain a column, so the full-text table is rebuilt from the
 * rows, which costs seconds for 100k photos, once). The names themselves are filled in by the next
 * ingest of the folder, without embedding again.
 */
function migrate(db: Db): void {
  const columns = new Set((db.prepare("PRAGMA table_info(photos)").all() as { name: string }[]).map((c) => c.name));
  const ftsColumns = db
    .prepare("SELECT * FROM photos_fts LIMIT 0")
    .columns()
    .map((c) => c.name);
  if (PLACE_COLUMNS.every((c) => columns.has(c)) && ftsColumns.includes("place")) return;
  db.transaction(() => {
    for (const column of PLACE_COLUMNS) if (!columns.has(column)) db.exec(`ALTER TABLE photos ADD COLUMN ${column} TEXT`);
    if (!ftsColumns.includes("place")) {
      db.exec("DROP TABLE photos_fts");
      db.exec(`CREATE VIRTUAL TABLE photos_fts USING fts5(${FTS_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2')`);
      rebuildFullText(db);
    }
  }).immediate();
}

/**
 * Runs `work` as one write transaction that takes the write lock up front (BEGIN IMMEDIATE) and
 * waits for it. The server and any number of ingest CLIs write the same file: a deferred
 * transaction that reads first (the change counter) and writes later cannot wait for the lock
 * once another process has committed (SQLite answers SQLITE_BUSY at once, "database is locked"),
 * while an immediate one can. Busy attempts are retried with a growing pause, off the event loop.
 */
export async function writeTransaction<T>(db: Db, work: () => T): Promise<T> {
  const transaction = db.transaction(work);
  const deadline = Date.now() + WRITE_WAIT_LIMIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return transaction.immediate();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > deadline) {
        throw new AppError(
          "store_unavailable",
          `the library database stayed locked by another writer for ${WRITE_WAIT_LIMIT_MS / 1000} s`,
          { cause: error },
        );
      }
      const pause = Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
}

/** Reserves the next change number; call inside writeTransaction. */
export function nextSeq(db: Db): number {
  const seq = Number(readMeta(db, "seq") ?? 0) + 1;
  writeMeta(db, "seq", String(seq));
  return seq;
}

function rebuildFullText(db: Db): void {
  const insert = db.prepare(
    "INSERT INTO photos_fts (rowid, name, folder, caption, tags, extra, place) VALUES (@rowid, @name, @folder, @caption, @tags, @extra, @place)",
  );
  // Read first: better-sqlite3 cannot write while a statement is still iterating.
  for (const row of db.prepare(`SELECT rowid, ${PHOTO_COLUMNS} FROM photos`).all() as (PhotoRow & { rowid: number })[]) {
    insert.run({ rowid: row.rowid, ...ftsColumns(rowToPhoto(row)) });
  }
}
