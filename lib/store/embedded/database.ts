/**
 * The embedded store's durable state: one SQLite file in WAL mode. Every write is a transaction,
 * so an interrupted process leaves either the old or the new state, never a torn one; `seq`
 * numbers every change so other processes (the server while the ingest CLI writes) can catch up
 * by reading only what changed.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export type Db = Database.Database;

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
  camera TEXT,
  caption TEXT,
  tags TEXT NOT NULL,
  extra TEXT NOT NULL,
  url TEXT,
  indexed_at TEXT NOT NULL,
  vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS photos_seq ON photos(seq);
CREATE INDEX IF NOT EXISTS photos_taken ON photos(taken_at_ms);
CREATE TABLE IF NOT EXISTS tombstones (id TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones(seq);
CREATE VIRTUAL TABLE IF NOT EXISTS photos_fts USING fts5(
  name, folder, caption, tags, extra, tokenize = 'unicode61 remove_diacritics 2'
);
`;

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, "library.db"));
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk when upsert() resolves; batches are large, so the fsyncs are few.
  db.pragma("synchronous = FULL");
  // The server and the ingest CLI may write at the same time; wait for the other's transaction.
  db.pragma("busy_timeout = 10000");
  db.exec(SCHEMA);
  return db;
}

export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
}

/** Reserves the next change number; call inside a write transaction. */
export function nextSeq(db: Db): number {
  const seq = Number(readMeta(db, "seq") ?? 0) + 1;
  writeMeta(db, "seq", String(seq));
  return seq;
}
