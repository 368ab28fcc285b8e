/**
 * The ingest pipeline prepares batch i+1 while batch i is embedded. When the store goes away, the
 * batch being prepared can fail while nothing awaits it yet; that failure must reach the caller as
 * the ingest's error, never as an unhandled rejection (which crashes a CLI and fails a test run).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { ImageEmbedder } from "@/lib/embedding/types";
import { AppError } from "@/lib/errors";
import { DATASETS, testContext, withMethods } from "@/lib/testing";
import { findImages } from "./files";
import { Ingestor } from "./pipeline";

const PHOTOS = findImages(path.join(DATASETS, "flickr8k-1k", "images"))
  .sort()
  .slice(0, 12);

describe("the ingest pipeline when the store goes away", () => {
  const ctx = testContext("embedded");
  after(() => ctx.store.close());

  it("fails with the store's error while a read-ahead batch fails unawaited", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await ctx.store.ensureIndex(ctx.embedders.space);
      let locates = 0;
      // The real store, except that it is gone from the second batch's lookup on.
      const store = withMethods(ctx.store, {
        locate: async (ids: string[]) => {
          if (++locates >= 2) throw new AppError("store_unavailable", "the store went away");
          return ctx.store.locate(ids);
        },
      });
      // The real embedder, slowed so that the next batch's lookup fails while this batch embeds.
      const embedder: ImageEmbedder = {
        space: ctx.embedders.image.space,
        embedImages: async (images) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return ctx.embedders.image.embedImages(images);
        },
      };
      const ingestor = new Ingestor({
        store,
        embedder,
        dataDir: ctx.cfg.dataDir,
        limits: { maxPixels: 1e8, thumbnailSize: 64, maxFileBytes: 1e8 },
        batchSize: 4,
      });
      await assert.rejects(ingestor.ingest(path.dirname(PHOTOS[0]!), PHOTOS), (e: AppError) => e.code === "store_unavailable");
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
