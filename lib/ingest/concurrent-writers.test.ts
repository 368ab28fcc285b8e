/**
 * One writer at a time, without failures: a CLI ingest of 3,000 photos (another process, as a user
 * runs it) while this process uploads continuously through the upload pipeline the route uses, and
 * a second CLI ingest of a small folder joins in. The embedded store is the one shared by
 * processes (one SQLite file); every write must wait for the lock, none may fail.
 * CONCURRENT_INGEST_FILES sets the size (default 3,000).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AppContext } from "@/lib/context";
import { distinctJpeg, PROJECT, tempDir, testContext, writeDistinctJpegs } from "@/lib/testing";
import { addUpload } from "./add-upload";
import { contentId } from "./pipeline";

const FILES = Number(process.env.CONCURRENT_INGEST_FILES ?? 3_000);

const children: ReturnType<typeof spawn>[] = [];

function runIngest(folder: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT, "scripts/ingest.ts"), folder, "--json", "--no-metadata"], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("the server and CLI ingests writing the embedded store together", () => {
  let ctx: AppContext;
  let big: string[];
  let small: string[];
  let env: Record<string, string>;

  before(async () => {
    const root = tempDir();
    big = await writeDistinctJpegs(path.join(root, "big"), FILES, 1);
    small = await writeDistinctJpegs(path.join(root, "small"), 100, 2);
    ctx = testContext("embedded");
    await ctx.store.ensureIndex(ctx.embedders.space);
    env = { DATA_DIR: ctx.cfg.dataDir, STORE: "embedded", MODEL_DIR: ctx.cfg.models.localDir!, IMAGE_MODEL: ctx.cfg.models.image.id };
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await ctx.store.close();
  });

  it(`uploads continuously during a ${FILES}-file ingest with zero errors and every photo present once`, async () => {
    const ingest = runIngest(path.dirname(big[0]!), env);
    let second: ReturnType<typeof runIngest> | undefined;
    const uploaded = new Set<string>();
    const errors: string[] = [];
    let uploads = 0;
    for (let i = 0; ingest.child.exitCode === null; i++) {
      if (i === 10) second = runIngest(path.dirname(small[0]!), env);
      // Every fourth upload is a photo the ingest is indexing too: it must end up stored once.
      const bytes = i % 4 === 3 ? fs.readFileSync(big[(i * 37) % big.length]!) : await distinctJpeg(i, 3);
      try {
        const result = await addUpload(ctx, { name: `upload-${i}.jpg`, bytes, metadata: { caption: `upload ${i}` } });
        if (result.outcome === "failed") errors.push(`upload ${i}: failed`);
        uploaded.add(contentId(bytes));
        uploads++;
      } catch (error) {
        errors.push(`upload ${i}: ${(error as Error).message}`);
      }
    }
    const code = await ingest.exited;
    assert.equal(code, 0, ingest.output());
    assert.equal(await second?.exited, 0, second?.output());
    assert.deepEqual(errors, []);
    assert.ok(uploads >= 20, `${uploads} uploads ran during the ingest`);
    const summary = JSON.parse(ingest.output().slice(ingest.output().indexOf("{"))) as {
      failed: unknown[];
      indexed: number;
      unchanged: number;
    };
    assert.deepEqual(summary.failed, []);
    assert.equal(summary.indexed + summary.unchanged, FILES);

    const expected = new Set([...big, ...small].map((file) => contentId(fs.readFileSync(file))));
    for (const id of uploaded) expected.add(id);
    assert.equal(await ctx.store.count(), expected.size, "every photo once: none missing, none twice");
    assert.equal((await ctx.store.locate([...expected])).size, expected.size);
    console.log(`# ${uploads} uploads during the ingest of ${FILES} files; ${expected.size} photos stored`);
  });
});
