/**
 * Ingest that scales out: two processes' ingestors (each its own client, embedder and DATA_DIR, as on
 * two machines) fill one real Elasticsearch index at once with --shard 1/2 and 2/2: every photo is
 * indexed, by exactly one of them, and a re-run embeds nothing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { findImages } from "./files";
import { contentId, type IngestSummary } from "./pipeline";
import { parseShard, shardOf } from "./shard";
import { DATASETS, dropIndex, esSkip, testContext, uniqueIndexName } from "@/lib/testing";

const FLICKR = path.join(DATASETS, "flickr8k-1k", "images");

describe("ingest shards", () => {
  it("parses i/n and refuses what is not a share", () => {
    assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
    for (const bad of ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3"]) {
      assert.throws(
        () => parseShard(bad),
        (e: AppError) => e.code === "bad_request" && /i\/n/.test(e.message),
      );
    }
  });

  it("splits photos evenly and stably by content hash", () => {
    const files = fs.readdirSync(FLICKR).slice(0, 400);
    const ids = files.map((name) => contentId(fs.readFileSync(path.join(FLICKR, name))));
    const perShard = [1, 2, 3, 4].map((shard) => ids.filter((id) => shardOf(id, 4) === shard).length);
    assert.equal(
      perShard.reduce((a, b) => a + b),
      ids.length,
    );
    for (const share of perShard) assert.ok(share > 50 && share < 150, `shares ${perShard.join(", ")}`);
    assert.equal(shardOf("00000000000a0000", 4), shardOf("00000000000a0000", 4));
  });

  describe("two processes into one Elasticsearch index", { skip: esSkip("elasticsearch") }, () => {
    const index = uniqueIndexName();
    const contexts: AppContext[] = [];

    after(async () => {
      if (contexts[0]) await dropIndex(contexts[0].cfg);
      for (const context of contexts) await context.store.close();
    });

    it("indexes every photo exactly once between them, each embedding only its own share", async () => {
      for (let i = 0; i < 2; i++) contexts.push(testContext("elasticsearch", { ES_INDEX: index }));
      const files = findImages(FLICKR).slice(0, 60);
      const indexedBy = contexts.map(() => new Set<string>());
      const run = (i: number): Promise<IngestSummary> =>
        contexts[i]!.ingestor.ingest(FLICKR, files, {
          shard: { index: i + 1, count: 2 },
          onProgress: ({ last }) => {
            if (last.outcome === "indexed") indexedBy[i]!.add(last.id!);
          },
        });
      const summaries = await Promise.all([run(0), run(1)]);
      const [first, second] = summaries as [IngestSummary, IngestSummary];
      assert.equal(first.failed.length + second.failed.length, 0);
      assert.ok(first.indexed > 0 && second.indexed > 0, `${first.indexed} + ${second.indexed}`);
      assert.equal(first.indexed + second.indexed, files.length);
      assert.equal(first.otherShard, second.indexed);
      assert.equal([...indexedBy[0]!].filter((id) => indexedBy[1]!.has(id)).length, 0, "no photo embedded by both");

      const { store } = contexts[0]!;
      await store.refresh();
      assert.equal(await store.count(), files.length);
      const ids = files.map((file) => contentId(fs.readFileSync(file)));
      assert.equal((await store.locate(ids)).size, files.length);

      const again = await contexts[1]!.ingestor.ingest(FLICKR, files, { shard: { index: 2, count: 2 } });
      assert.equal(again.indexed, 0);
      assert.equal(again.unchanged, second.indexed);
    });
  });
});
