/**
 * The int8 matrix saved beside the database: a library reopens from it with the same answers, catches
 * up on what changed since, and falls back to reading SQLite whenever the snapshot is not the one the
 * database names, is damaged, or disagrees with the rows.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { photoRecord, randomUnitVector, seededRandom, tempDir } from "@/lib/testing";
import type { PhotoRecord } from "@/lib/store/types";
import { SNAPSHOT_FILE } from "./matrix-snapshot";
import { EmbeddedStore } from "./index";

const DIMS = 16;
const MODEL = { modelId: "test/snapshot", dims: DIMS };

function photos(count: number, seed: number, prefix = "p"): PhotoRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) =>
    photoRecord({
      id: `${prefix}${i}`,
      folder: `album-${i % 3}`,
      path: `album-${i % 3}/${prefix}${i}.jpg`,
      takenAt: i % 2 ? new Date(Date.UTC(2020, 0, 1 + i)).toISOString() : undefined,
      location: i % 4 === 0 ? { lat: 40 + i / 100, lon: 10 - i / 100 } : undefined,
      vector: randomUnitVector(random, DIMS),
    }),
  );
}

/** A store that saves a snapshot after any read of rows (the default waits for 50,000). */
const eager = (dir: string) => new EmbeddedStore(dir, { snapshotAfterRows: 1 });
/** A store that never saves one, for writes the snapshot must not know about. */
const lazy = (dir: string) => new EmbeddedStore(dir, { snapshotAfterRows: Number.MAX_SAFE_INTEGER });

async function answers(store: EmbeddedStore, queries: Float32Array[]) {
  const found = [];
  for (const vector of queries) {
    const page = await store.searchVector({ vector, k: 5, offset: 0 });
    found.push(page.hits.map((h) => `${h.photo.id}:${h.score.toFixed(6)}`));
  }
  const inFolder = await store.count({ folder: "album-1" });
  return { found, count: await store.count(), inFolder };
}

async function withStore<T>(store: EmbeddedStore, work: (store: EmbeddedStore) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** A library of 60 photos whose closing store left a snapshot; returns its folder. */
async function librarySavedWithSnapshot(): Promise<string> {
  const dir = tempDir();
  await withStore(eager(dir), async (store) => {
    await store.ensureIndex(MODEL);
    await store.upsert(photos(60, 1));
  });
  assert.ok(fs.existsSync(path.join(dir, SNAPSHOT_FILE)), "the store saved its matrix beside the database");
  return dir;
}

const queries = Array.from({ length: 6 }, (_, i) => randomUnitVector(seededRandom(100 + i), DIMS));

describe("embedded store: the int8 matrix saved beside the database", () => {
  it("reopens from the snapshot with the same answers as a load from SQLite", async () => {
    const dir = await librarySavedWithSnapshot();
    const fromSnapshot = await withStore(lazy(dir), async (store) => {
      const found = await answers(store, queries);
      assert.equal(store.matrixOrigin, "snapshot");
      return found;
    });
    fs.rmSync(path.join(dir, SNAPSHOT_FILE));
    const fromDatabase = await withStore(lazy(dir), async (store) => {
      const found = await answers(store, queries);
      assert.equal(store.matrixOrigin, "database");
      return found;
    });
    assert.deepEqual(fromSnapshot, fromDatabase);
    assert.equal(fromSnapshot.count, 60);
  });

  it("catches up on photos added, changed and deleted after the snapshot", async () => {
    const dir = await librarySavedWithSnapshot();
    const changed = { ...photos(60, 1)[7]!, vector: queries[0]! };
    await withStore(lazy(dir), async (store) => {
      await store.upsert([...photos(5, 2, "new"), changed]);
      await store.delete(["p3", "p11"]);
    });
    await withStore(lazy(dir), async (store) => {
      assert.equal(await store.count(), 63);
      assert.equal(store.matrixOrigin, "snapshot");
      const top = await store.searchVector({ vector: queries[0]!, k: 1, offset: 0 });
      assert.equal(top.hits[0]?.photo.id, "p7", "the changed vector is the one searched");
      const gone = await store.searchVector({ vector: photos(60, 1)[3]!.vector, k: 60, offset: 0 });
      assert.ok(!gone.hits.some((h) => h.photo.id === "p3" || h.photo.id === "p11"), "deleted photos are not found");
      const added = await store.searchVector({ vector: photos(5, 2, "new")[4]!.vector, k: 1, offset: 0 });
      assert.equal(added.hits[0]?.photo.id, "new4");
    });
  });

  it("ignores a snapshot the database does not name (a database restored from a copy)", async () => {
    const dir = await librarySavedWithSnapshot();
    const copy = path.join(tempDir(), "library.db");
    fs.copyFileSync(path.join(dir, "library.db"), copy);
    // The library moves on and saves a newer snapshot; then the older database comes back.
    await withStore(eager(dir), async (store) => {
      await store.delete(["p0", "p1", "p2"]);
      await store.upsert(photos(70, 3, "later"));
    });
    const before = await withStore(lazy(tempDirWith(copy)), (store) => answers(store, queries));
    fs.copyFileSync(copy, path.join(dir, "library.db"));
    await withStore(lazy(dir), async (store) => {
      assert.deepEqual(await answers(store, queries), before);
      assert.equal(store.matrixOrigin, "database");
    });
  });

  it("loads from SQLite when the snapshot is damaged or disagrees with the rows, and replaces it", async () => {
    const damages: ((file: string) => void)[] = [
      (file) => fs.truncateSync(file, fs.statSync(file).size - 10),
      (file) => fs.writeFileSync(file, "not a snapshot"),
      (file) => {
        // Every vector zeroed, the header intact: only the comparison with SQLite can tell.
        const bytes = fs.readFileSync(file);
        const headerEnd = 12 + bytes.readUInt32LE(8);
        bytes.fill(0, headerEnd, headerEnd + 60 * DIMS);
        fs.writeFileSync(file, bytes);
      },
    ];
    for (const damage of damages) {
      const dir = await librarySavedWithSnapshot();
      const expected = await withStore(lazy(dir), (store) => answers(store, queries));
      damage(path.join(dir, SNAPSHOT_FILE));
      await withStore(eager(dir), async (store) => {
        assert.deepEqual(await answers(store, queries), expected);
        assert.equal(store.matrixOrigin, "database");
      });
      await withStore(lazy(dir), async (store) => {
        assert.deepEqual(await answers(store, queries), expected);
        assert.equal(store.matrixOrigin, "snapshot", "the load from SQLite saved a good snapshot again");
      });
    }
  });

  it("saves no snapshot for a small library by default", async () => {
    const dir = tempDir();
    await withStore(new EmbeddedStore(dir), async (store) => {
      await store.ensureIndex(MODEL);
      await store.upsert(photos(60, 1));
      assert.equal(await store.count(), 60);
    });
    assert.ok(!fs.existsSync(path.join(dir, SNAPSHOT_FILE)));
  });
});

/** A fresh folder holding a copy of a database file. */
function tempDirWith(database: string): string {
  const dir = tempDir();
  fs.copyFileSync(database, path.join(dir, "library.db"));
  return dir;
}
