/**
 * A library that stays in sync: an ingest of a folder removes (or keeps, when asked) the photos whose
 * files under it are gone, never touches other folders' photos, and keeps photos below a folder it
 * could not read; --watch follows additions, edits and removals. On both stores.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { distinctJpeg, dropIndex, esSkip, STORE_KINDS, tempDir, testContext, writeDistinctJpegs } from "@/lib/testing";
import { scanFolder } from "./files";
import { contentId } from "./pipeline";
import { reconcileMissing } from "./sync";
import { thumbnailPath } from "./thumbnails";
import { watchFolder, type FolderChange } from "./watch";

for (const kind of STORE_KINDS) {
  describe(`keeping a folder in sync on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;
    let base: string;
    let mine: string;
    let other: string;

    const ingest = async (folder: string) => {
      const scan = scanFolder(folder);
      await ctx.ingestor.ingest(folder, scan.files);
      return scan;
    };

    before(async () => {
      ctx = testContext(kind);
      await ctx.store.ensureIndex(ctx.embedders.space);
      base = tempDir();
      mine = path.join(base, "mine");
      other = path.join(base, "mine-too"); // a sibling whose name starts the same
      await writeDistinctJpegs(path.join(mine, "a"), 3, 21);
      await writeDistinctJpegs(path.join(mine, "b"), 2, 22);
      await writeDistinctJpegs(other, 2, 23);
      await ingest(mine);
      await ingest(other);
    });

    after(async () => {
      await dropIndex(ctx.cfg);
      await ctx.store.close();
    });

    it("reports photos whose files are gone and keeps them when asked", async () => {
      const gone = path.join(mine, "a", "00001.jpg");
      const id = contentId(fs.readFileSync(gone));
      fs.rmSync(gone);
      fs.rmSync(path.join(other, "00000.jpg")); // another folder's loss is not this ingest's business
      const result = await reconcileMissing(ctx, mine, await ingest(mine), { keepMissing: true });
      assert.deepEqual(result, { missing: [{ id, file: gone }], removed: false });
      assert.ok(await ctx.store.get(id), "kept");
    });

    it("removes them otherwise, with their thumbnails, and touches no other folder", async () => {
      const before = await ctx.store.count();
      const result = await reconcileMissing(ctx, mine, await ingest(mine));
      assert.equal(result.removed, true);
      assert.equal(result.missing.length, 1);
      const id = result.missing[0]!.id;
      assert.equal(await ctx.store.get(id), undefined);
      assert.ok(!fs.existsSync(thumbnailPath(ctx.cfg.dataDir, id)));
      assert.equal(await ctx.store.count(), before - 1, "the other folder's missing photo is still there");
      assert.equal((await ctx.store.locateUnder(other)).size, 2);
    });

    it("keeps photos below a folder that could not be read: unknown is not gone", async () => {
      const scan = await ingest(mine);
      const hidden = path.join(mine, "b");
      const ids = [...(await ctx.store.locateUnder(hidden)).keys()];
      assert.equal(ids.length, 2);
      // What the walker reports for an unreadable folder (files.test.ts shows it, as uid nobody).
      const unreadable = { files: scan.files.filter((f) => !f.startsWith(hidden + path.sep)), unreadable: [hidden] };
      fs.renameSync(hidden, `${hidden}-moved-away`); // the files look gone, but the folder was unreadable
      const result = await reconcileMissing(ctx, mine, unreadable);
      fs.renameSync(`${hidden}-moved-away`, hidden);
      assert.deepEqual(result.missing, []);
      assert.equal((await ctx.store.locateUnder(hidden)).size, 2);
    });

    it("removes nothing from a folder that looks unmounted (missing, empty or unreadable) unless forced", async () => {
      const drive = path.join(base, "drive");
      await writeDistinctJpegs(drive, 2, 24);
      await ingest(drive);
      const ids = [...(await ctx.store.locateUnder(drive)).keys()];
      assert.equal(ids.length, 2);
      const kept = async (scan: { files: string[]; unreadable: string[] }, reason: RegExp) => {
        const result = await reconcileMissing(ctx, drive, scan);
        assert.equal(result.removed, false);
        assert.deepEqual(result.missing, []);
        assert.match(result.refused ?? "", reason);
        assert.match(result.refused ?? "", /Nothing was removed.*--force/);
        assert.equal((await ctx.store.locateUnder(drive)).size, 2);
      };
      fs.renameSync(drive, `${drive}-unmounted`);
      await kept({ files: [], unreadable: [] }, /drive is missing \(ENOENT\), but the library's 2 photos under it/);
      fs.mkdirSync(drive); // the empty mount point
      await kept(await ingest(drive), /drive holds no photos, but the library's 2 photos under it would all look deleted/);
      await kept({ files: [], unreadable: [drive] }, /drive cannot be read/);
      // --keep-missing lists, --force removes: the photos really are gone.
      const listed = await reconcileMissing(ctx, drive, await ingest(drive), { keepMissing: true, force: true });
      assert.deepEqual({ removed: listed.removed, count: listed.missing.length }, { removed: false, count: 2 });
      const forced = await reconcileMissing(ctx, drive, await ingest(drive), { force: true });
      assert.equal(forced.removed, true);
      assert.deepEqual(forced.missing.map((m) => m.id).sort(), ids.sort());
      assert.equal((await ctx.store.locateUnder(drive)).size, 0);
      assert.equal((await ctx.store.locateUnder(other)).size, 2, "no other folder touched");
    });

    it("retires the old version of a photo edited in place", async () => {
      const file = path.join(mine, "a", "00002.jpg");
      const oldId = contentId(fs.readFileSync(file));
      fs.writeFileSync(file, await distinctJpeg(99, 99));
      const result = await reconcileMissing(ctx, mine, await ingest(mine));
      assert.deepEqual(result.missing, [{ id: oldId, file, reason: "replaced by a newer version of the file" }]);
      assert.equal(await ctx.store.get(oldId), undefined);
      assert.equal((await ctx.store.get(contentId(fs.readFileSync(file))))?.path, "a/00002.jpg");
    });

    it("follows a watched folder: new files indexed, deleted ones removed", async () => {
      const controller = new AbortController();
      const changes: FolderChange[] = [];
      let notify: () => void = () => undefined;
      const next = () => new Promise<void>((resolve) => (notify = resolve));
      let ready: () => void = () => undefined;
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      const watching = watchFolder(ctx, mine, {
        signal: controller.signal,
        settleMs: 300,
        onReady: () => ready(),
        onChange: (change) => (changes.push(change), notify()),
      });
      await isReady;
      try {
        const added = path.join(mine, "a", "new.jpg");
        let changed = next();
        fs.writeFileSync(added, await distinctJpeg(7, 77));
        await changed;
        const id = contentId(fs.readFileSync(added));
        assert.equal(changes.at(-1)?.summary.indexed, 1);
        assert.ok(await ctx.store.get(id));

        changed = next();
        fs.rmSync(added);
        await changed;
        assert.deepEqual(changes.at(-1)?.missing, { missing: [{ id, file: added }], removed: true });
        assert.equal(await ctx.store.get(id), undefined);
      } finally {
        controller.abort();
        await watching;
      }
    });

    it("remembers every path of identical files and keeps the photo at a copy when its file goes", async () => {
      const dupes = path.join(base, "dupes");
      const [first] = await writeDistinctJpegs(path.join(dupes, "x"), 1, 31);
      for (const copy of ["y/same.jpg", "z/again.jpg"]) {
        fs.mkdirSync(path.dirname(path.join(dupes, copy)), { recursive: true });
        fs.copyFileSync(first!, path.join(dupes, copy));
      }
      await ingest(dupes);
      await ingest(dupes); // again: nothing new to record
      const id = contentId(fs.readFileSync(first!));
      const photo = await ctx.store.get(id);
      const paths = (p: typeof photo) => [p!.path, ...(p!.copies ?? []).map((c) => c.path)].sort();
      assert.deepEqual(paths(photo), ["x/00000.jpg", "y/same.jpg", "z/again.jpg"]);
      fs.rmSync(path.join(dupes, photo!.path));
      // The ingest finds the bytes at a remaining path and re-points the photo there (a move).
      const result = await reconcileMissing(ctx, dupes, await ingest(dupes));
      assert.deepEqual(result.missing, []);
      const kept = await ctx.store.get(id);
      assert.ok(kept, "still in the library: its bytes are at another path");
      assert.deepEqual(
        paths(kept),
        paths(photo).filter((p) => p !== photo!.path),
      );
      assert.ok(fs.existsSync(path.join(dupes, kept!.path)));
    });
  });
}
