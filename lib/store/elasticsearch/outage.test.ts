/**
 * Elasticsearch going away and coming back, through a proxy in front of the real test cluster:
 * searches and readiness fail clearly while it is gone and recover by themselves; an ingest cut off
 * halfway finishes on the next run with every photo indexed exactly once.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resetConfig } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { findImages } from "@/lib/ingest/files";
import { contentId } from "@/lib/ingest/pipeline";
import { parseSearchRequest } from "@/lib/search/request";
import { readiness } from "@/lib/health";
import { DATASETS, ES_TEST_URL, TEST_MODEL_ENV, tempDir, uniqueIndexName } from "@/lib/testing";
import { startProxy } from "@/lib/testing/tcp-proxy";

const FLICKR = path.join(DATASETS, "flickr8k-1k", "images");

describe("Elasticsearch outages", { skip: !ES_TEST_URL && "no Elasticsearch" }, () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let photos: string;
  const saved = { ...process.env };

  before(async () => {
    proxy = await startProxy(new URL(ES_TEST_URL!));
    photos = tempDir();
    for (const name of fs.readdirSync(FLICKR).slice(0, 48)) fs.copyFileSync(path.join(FLICKR, name), path.join(photos, name));
    process.env = {
      ...saved,
      ...TEST_MODEL_ENV,
      DATA_DIR: tempDir(),
      ES_HOST: proxy.url,
      ES_INDEX: uniqueIndexName(),
      ES_REQUEST_TIMEOUT_MS: "3000",
    };
    resetConfig();
  });

  after(async () => {
    await closeAppContext();
    process.env = saved;
    resetConfig();
    await proxy.close();
  });

  it("stops an ingest cleanly when the cluster goes away mid-run, and the next run finishes it exactly once", async () => {
    const { store, embedders, ingestor } = appContext();
    await store.ensureIndex(embedders.space);
    const files = findImages(photos);
    let cut: Promise<void> | undefined;
    await assert.rejects(
      ingestor.ingest(photos, files, {
        onProgress: ({ done }) => {
          if (done >= 16) cut ??= proxy.down();
        },
      }),
      (e: AppError) => e.code === "store_unavailable" && /unreachable/.test(e.message),
    );
    await cut;
    await proxy.up();
    const rerun = await ingestor.ingest(photos, files);
    assert.equal(rerun.failed.length, 0);
    assert.ok(rerun.unchanged >= 16, `${rerun.unchanged} photos were kept from the first run`);
    assert.equal(rerun.indexed + rerun.unchanged, files.length);
    assert.equal(await store.count(), files.length);
    const located = await store.locate(files.map((f) => contentId(fs.readFileSync(f))));
    assert.equal(located.size, files.length);
  });

  it("answers searches with store_unavailable while the cluster is down, and recovers when it returns", async () => {
    const { search } = appContext();
    const request = parseSearchRequest({ q: "a dog", k: 5 });
    assert.equal((await search.search(request)).hits.length, 5);
    await proxy.down();
    await assert.rejects(search.search(request), (e: AppError) => e.code === "store_unavailable" && e.status === 503);
    const down = await readiness();
    assert.equal(down.status, "unavailable");
    assert.match(down.problems!.join(" "), /Elasticsearch at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
    await proxy.up();
    assert.equal((await search.search(request)).hits.length, 5);
    assert.equal((await readiness()).status, "ok");
  });
});
