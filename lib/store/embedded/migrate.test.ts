/** A library made before places existed opens, keeps its full-text search, and gains the place columns. */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { tempDir } from "@/lib/testing";
import { toBuffer } from "@/lib/vector";
import { EmbeddedStore } from "./index";

const OLD_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE photos (
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL, root TEXT NOT NULL, path TEXT NOT NULL,
  folder TEXT NOT NULL, name TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, bytes INTEGER NOT NULL,
  mime TEXT NOT NULL, taken_at TEXT, taken_at_ms INTEGER, lat REAL, lon REAL, camera TEXT, caption TEXT,
  tags TEXT NOT NULL, extra TEXT NOT NULL, url TEXT, indexed_at TEXT NOT NULL, vector BLOB NOT NULL
);
CREATE TABLE tombstones (id TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE VIRTUAL TABLE photos_fts USING fts5(name, folder, caption, tags, extra, tokenize = 'unicode61 remove_diacritics 2');
`;

describe("embedded store: a library from before places", () => {
  it("adds the place columns and keeps full-text search; ingest is told the names are missing", async () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, "library.db"));
    old.exec(OLD_SCHEMA);
    old.prepare("INSERT INTO meta VALUES ('model_id', 'test/model'), ('dims', '2'), ('seq', '1')").run();
    const vector = toBuffer(new Float32Array([1, 0]));
    old
      .prepare(
        `INSERT INTO photos (rowid, id, seq, root, path, folder, name, width, height, bytes, mime, lat, lon, caption, tags, extra, indexed_at, vector)
         VALUES (1, 'a1', 1, '/lib', 'arezzo.jpg', 'lib', 'arezzo.jpg', 1, 1, 1, 'image/jpeg', 43.46, 11.88, 'a street', '[]', '{}', '2026-01-01', ?)`,
      )
      .run(vector);
    old
      .prepare("INSERT INTO photos_fts (rowid, name, folder, caption, tags, extra) VALUES (1, 'arezzo jpg', 'lib', 'a street', '', '')")
      .run();
    old.close();

    const store = new EmbeddedStore(dir);
    try {
      assert.deepEqual(
        (await store.searchText({ text: "street", k: 5, offset: 0 })).hits.map((h) => h.photo.id),
        ["a1"],
      );
      assert.deepEqual(await store.locate(["a1"]), new Map([["a1", { root: "/lib", path: "arezzo.jpg", unplaced: true }]]));
      const photo = (await store.get("a1"))!;
      // Named as before regions were stored: still to be completed by the next ingest.
      await store.upsert([{ ...photo, place: { city: "Arezzo", countryCode: "IT", country: "Italy" }, vector: new Float32Array([1, 0]) }]);
      assert.deepEqual(await store.locate(["a1"]), new Map([["a1", { root: "/lib", path: "arezzo.jpg", unplaced: true }]]));
      const place = { city: "Arezzo", region: "Tuscany", countryCode: "IT", country: "Italy" };
      await store.upsert([{ ...photo, place, vector: new Float32Array([1, 0]) }]);
      for (const text of ["意大利", "Tuscany"]) {
        assert.deepEqual(
          (await store.searchText({ text, k: 5, offset: 0 })).hits.map((h) => h.photo.id),
          ["a1"],
          text,
        );
      }
      assert.deepEqual((await store.get("a1"))?.place, place);
      assert.deepEqual(await store.locate(["a1"]), new Map([["a1", { root: "/lib", path: "arezzo.jpg" }]]));
    } finally {
      await store.close();
    }
  });
});
