/**
 * An ingest killed with SIGKILL mid-run and started again finishes with every photo indexed exactly
 * once, on both stores: the CLI as a user runs it, killed at a random point after it has written.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { DATASETS, esSkip, STORE_KINDS, tempDir, testContext, PROJECT } from "@/lib/testing";
import { findImages } from "./files";
import { contentId } from "./pipeline";
import { parseSearchRequest } from "@/lib/search/request";

const FLICKR = path.join(DATASETS, "flickr8k-1k", "images");

function runIngest(folder: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT, "scripts/ingest.ts"), folder, "--json", "--no-metadata"], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

for (const kind of STORE_KINDS) {
  describe(`an ingest killed mid-run on the ${kind} store`, { skip: esSkip(kind) }, () => {
    let ctx: AppContext;
    let folder: string;
    let env: Record<string, string>;

    before(() => {
      folder = tempDir();
      for (const name of fs.readdirSync(FLICKR).slice(200, 320)) fs.copyFileSync(path.join(FLICKR, name), path.join(folder, name));
      ctx = testContext(kind);
      const { cfg } = ctx;
      env = {
        DATA_DIR: cfg.dataDir,
        STORE: kind,
        MODEL_DIR: cfg.models.localDir!,
        IMAGE_MODEL: cfg.models.image.id,
        ...(kind === "elasticsearch" ? { ES_HOST: cfg.elasticsearch.node!, ES_INDEX: cfg.elasticsearch.index } : {}),
      };
    });

    after(async () => {
      await ctx.store.close();
    });

    it("finishes on the next run with every photo indexed exactly once", async () => {
      const files = findImages(folder);
      const first = runIngest(folder, env);
      // Kill it once it has written something, without letting it finish.
      const deadline = Date.now() + 60_000;
      let written = 0;
      while (Date.now() < deadline && first.child.exitCode === null) {
        written = await ctx.store.count().catch(() => 0);
        if (written >= 16) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      first.child.kill("SIGKILL");
      await first.exited;
      assert.ok(written >= 16 && written < files.length, `killed after ${written} of ${files.length}`);

      // Search while the second run writes (another process: SQLite locking or Elasticsearch bulk).
      const second = runIngest(folder, env);
      let searches = 0;
      const failures: string[] = [];
      while (second.child.exitCode === null) {
        await ctx.search.search(parseSearchRequest({ q: "a dog in the snow", k: 10 })).then(
          () => searches++,
          (error: Error) => failures.push(error.message),
        );
      }
      assert.deepEqual(failures, []);
      assert.ok(searches > 5, `${searches} searches ran during the ingest`);
      assert.equal(await second.exited, 0, second.output());
      const summary = JSON.parse(second.output().slice(second.output().indexOf("{")));
      assert.equal(summary.failed.length, 0);
      assert.equal(summary.indexed + summary.unchanged, files.length);
      await ctx.store.refresh();
      assert.equal(await ctx.store.count(), files.length, "no photo twice, none missing");
      const located = await ctx.store.locate(files.map((f) => contentId(fs.readFileSync(f))));
      assert.equal(located.size, files.length);
    });
  });
}
