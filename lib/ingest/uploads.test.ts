/**
 * Uploads never destroy data, and removal deletes only what the app owns: on both stores, with real
 * photos through the real pipeline and the project's test model.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { COCO, dropIndex, esSkip, STORE_KINDS, tempDir, testContext } from "@/lib/testing";
import { addUpload } from "./add-upload";
import { findImages } from "./files";
import { contentId } from "./pipeline";
import { removePhotos } from "./remove";
import { renditionPath, thumbnailPath, writeThumbnail } from "./thumbnails";
import { uploadsDir } from "./upload-files";

const [first, second, third] = findImages(path.join(COCO, "images")).slice(0, 3) as [string, string, string];

for (const kind of STORE_KINDS) {
  describe(`uploads and removal on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;

    before(async () => {
      ctx = testContext(kind);
      await ctx.store.ensureIndex(ctx.embedders.space);
    });

    after(async () => {
      await dropIndex(ctx.cfg);
      await ctx.store.close();
    });

    it("keeps a photo's caption and fields when its bytes are uploaded again without metadata", async () => {
      const bytes = fs.readFileSync(first);
      const metadata = { caption: "a caption someone wrote", tags: ["kept"], extra: { who: "Li" } };
      assert.equal((await addUpload(ctx, { name: "a.jpg", bytes, metadata })).outcome, "indexed");
      const again = await addUpload(ctx, { name: "a.jpg", bytes, metadata: {} });
      assert.equal(again.outcome, "unchanged");
      assert.equal(again.photo?.caption, "a caption someone wrote");
      assert.deepEqual(again.photo?.tags, ["kept"]);
      assert.deepEqual(again.photo?.extra, { who: "Li" });
      const tagged = await addUpload(ctx, { name: "other-name.jpg", bytes, metadata: { tags: ["new"], extra: { where: "Xi'an" } } });
      assert.equal(tagged.outcome, "updated");
      assert.equal(tagged.photo?.caption, "a caption someone wrote", "a field left out is kept");
      assert.deepEqual(tagged.photo?.tags, ["new"]);
      assert.deepEqual(tagged.photo?.extra, { who: "Li", where: "Xi'an" });
      assert.equal(tagged.photo?.name, "a.jpg", "the photo keeps its first name");
    });

    it("stores the same bytes uploaded under five names once on disk", async () => {
      const bytes = fs.readFileSync(second);
      for (const name of ["1.jpg", "2.jpg", "copy.JPG", "IMG_0001.jpg", "x.jpeg"]) await addUpload(ctx, { name, bytes });
      const id = contentId(bytes);
      const files = fs.readdirSync(uploadsDir(ctx.cfg.dataDir)).filter((f) => f.startsWith(id));
      assert.deepEqual(files, [`${id}.jpg`]);
      assert.equal((await ctx.store.get(id))?.name, "1.jpg");
    });

    it("writes no upload file for a photo already indexed from a folder", async () => {
      const folder = tempDir();
      const file = path.join(folder, "mine.jpg");
      fs.copyFileSync(third, file);
      await ctx.ingestor.ingest(folder, [file]);
      const before = fs.readdirSync(uploadsDir(ctx.cfg.dataDir)).length;
      const result = await addUpload(ctx, { name: "upload.jpg", bytes: fs.readFileSync(file), metadata: { caption: "from the web" } });
      assert.equal(result.outcome, "updated");
      assert.equal(result.photo?.root, folder);
      assert.equal(fs.readdirSync(uploadsDir(ctx.cfg.dataDir)).length, before);
    });

    it("removes photos with their thumbnails and uploaded files, never a user's own file", async () => {
      const uploaded = contentId(fs.readFileSync(second));
      const fromFolder = contentId(fs.readFileSync(third));
      const photo = (await ctx.store.get(fromFolder))!;
      const userFile = path.join(photo.root, photo.path);
      const uploadFile = path.join(uploadsDir(ctx.cfg.dataDir), `${uploaded}.jpg`);
      assert.ok(fs.existsSync(thumbnailPath(ctx.cfg.dataDir, uploaded)));
      const count = await ctx.store.count();

      // A rendition the gallery asked for (made on request) goes with its thumbnail.
      writeThumbnail(ctx.cfg.dataDir, uploaded, Buffer.from("webp"), renditionPath(ctx.cfg.dataDir, uploaded, 320));
      const result = await removePhotos(ctx, [uploaded, fromFolder, uploaded, "0".repeat(32)]);
      assert.deepEqual(result.removed.map((p) => p.id).sort(), [uploaded, fromFolder].sort());
      assert.deepEqual(result.notFound, ["0".repeat(32)]);
      assert.deepEqual(result.deletedFiles, [uploadFile]);
      assert.equal(await ctx.store.count(), count - 2);
      assert.equal(await ctx.store.get(uploaded), undefined);
      assert.ok(!fs.existsSync(uploadFile), "the uploaded file is gone");
      assert.ok(!fs.existsSync(thumbnailPath(ctx.cfg.dataDir, uploaded)), "its thumbnail is gone");
      assert.ok(!fs.existsSync(renditionPath(ctx.cfg.dataDir, uploaded, 320)), "and its rendition");
      assert.ok(!fs.existsSync(thumbnailPath(ctx.cfg.dataDir, fromFolder)));
      assert.ok(fs.existsSync(userFile), "the user's own photo file is untouched");
    });
  });
}
