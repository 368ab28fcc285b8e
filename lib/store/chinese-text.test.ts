/**
 * Chinese full-text search on real Chinese captions: Flickr8K-CN's native-speaker captions of the
 * Flickr8k photos (../shared/datasets/flickr8k-1k/captions-zh.json), ingested as a user would with
 * a metadata file, searched on both stores (the embedded store's FTS5 and Elasticsearch's analyzer).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { findImages } from "@/lib/ingest/files";
import { loadMetadataFile } from "@/lib/ingest/metadata-file";
import { contentId } from "@/lib/ingest/pipeline";
import { parseSearchRequest } from "@/lib/search/request";
import { DATASETS, dropIndex, esSkip, STORE_KINDS, testContext } from "@/lib/testing";

const FLICKR = path.join(DATASETS, "flickr8k-1k");
const records = (
  JSON.parse(fs.readFileSync(path.join(FLICKR, "captions-zh.json"), "utf8")) as { image: string; captions: string[] }[]
).slice(0, 100);
const files = records.map((r) => path.join(FLICKR, r.image));
const idOf = (file: string) => contentId(fs.readFileSync(file));

for (const kind of STORE_KINDS) {
  describe(`Chinese full-text search on Flickr8K-CN captions (${kind} store)`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;

    before(async () => {
      ctx = testContext(kind);
      await ctx.store.ensureIndex(ctx.embedders.space);
      const metadata = loadMetadataFile(path.join(FLICKR, "captions-zh.json"));
      assert.ok(findImages(path.join(FLICKR, "images")).length >= files.length);
      const summary = await ctx.ingestor.ingest(path.join(FLICKR, "images"), files, { textFor: (file) => metadata.lookup(file) });
      assert.equal(summary.indexed, files.length);
    });

    after(async () => {
      await dropIndex(ctx.cfg);
      await ctx.store.close();
    });

    const search = (q: string, k: number) => ctx.search.search(parseSearchRequest({ q, mode: "text", k }));

    it("finds each photo by one of its own Chinese captions", async () => {
      const sample = records.filter((_, i) => i % 5 === 0);
      let firsts = 0;
      for (const record of sample) {
        const caption = record.captions[0]!;
        const ids = (await search(caption, 3)).hits.map((h) => h.photo.id);
        assert.ok(ids.includes(idOf(path.join(FLICKR, record.image))), `"${caption}" should find ${record.image} in the top 3`);
        if (ids[0] === idOf(path.join(FLICKR, record.image))) firsts++;
      }
      assert.ok(firsts >= sample.length * 0.7, `${firsts} of ${sample.length} first`);
    });

    it("ranks the photos whose captions hold a word above the rest", async () => {
      for (const word of ["狗", "孩子", "草地", "自行车"]) {
        const holders = new Set(
          records.filter((r) => r.captions.some((c) => c.includes(word))).map((r) => idOf(path.join(FLICKR, r.image))),
        );
        assert.ok(holders.size >= 2, `${word}: ${holders.size} photos`);
        const top = (await search(word, holders.size)).hits.map((h) => h.photo.id);
        const precision = top.filter((id) => holders.has(id)).length / holders.size;
        assert.ok(precision >= 0.9, `${word}: ${Math.round(precision * 100)}% of the top ${holders.size} hold it`);
      }
    });
  });
}
