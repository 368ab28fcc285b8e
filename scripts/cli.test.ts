/**
 * The first run through the CLIs, as a user meets it: without a model (a hub that cannot be
 * reached), with models fetched from a stand-in for the hub, exit codes a script can trust, and
 * messages that say what to do (once, without a stack).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { EmbeddedStore } from "@/lib/store/embedded";
import { GPS_SAMPLES, PROJECT, startHubStandIn, tempDir, TEST_MODEL_ENV, type HubStandIn } from "@/lib/testing";

const PHOTOS = path.join(GPS_SAMPLES, "images");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  // Only what the test sets: no MODEL_DIR, HF_ENDPOINT or DATA_DIR from the developer's shell.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(MODEL_|HF_|DATA_DIR|IMAGE_|TEXT_|MULTILINGUAL_|ES_|STORE)/.test(key)),
  );
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT, "scripts", script), ...args], {
    cwd: PROJECT,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code: number | null) => resolve({ code, stdout, stderr })));
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, "g"))?.length ?? 0;

describe("the first run, from the command line", () => {
  let hub: HubStandIn;
  let unreachable: string;

  before(async () => {
    hub = await startHubStandIn(TEST_MODEL_ENV.MODEL_DIR);
    const closed = await startHubStandIn(TEST_MODEL_ENV.MODEL_DIR);
    unreachable = closed.url;
    await closed.close();
  });

  after(async () => {
    await hub.close();
  });

  it("ingest without a model: exit 3, the ways out said once, and the store is left unbound", async () => {
    const dataDir = tempDir();
    const run = await cli("ingest.ts", [PHOTOS], { DATA_DIR: dataDir, HF_ENDPOINT: unreachable, MODEL_CACHE_DIR: tempDir() });
    assert.equal(run.code, 3, run.stderr);
    const output = run.stdout + run.stderr;
    assert.equal(count(output, /could not download image model Xenova\/clip-vit-base-patch32/), 1, output);
    for (const way of [/MODEL_DIR=/, /HF_ENDPOINT=https:\/\/hf-mirror\.com/, /npm run models:fetch -- --dir/]) assert.match(output, way);
    assert.doesNotMatch(output, /\n\s+at /, "no stack trace");
    assert.doesNotMatch(output, /failed: /, "no per-file failures");
    const store = new EmbeddedStore(dataDir);
    assert.equal(await store.indexModel(), undefined, "a run that indexed nothing binds no model");
    await store.close();

    // So another model can be chosen afterwards.
    const next = await cli("ingest.ts", [PHOTOS], { ...TEST_MODEL_ENV, DATA_DIR: dataDir });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /11 indexed/);

    // Once photos are in, another model is refused before anything is embedded, naming DATA_DIR.
    const other = await cli("ingest.ts", [PHOTOS], { DATA_DIR: dataDir, HF_ENDPOINT: unreachable, MODEL_CACHE_DIR: tempDir() });
    assert.equal(other.code, 2, other.stderr);
    assert.match(
      other.stderr,
      new RegExp(`the library in DATA_DIR \\(${dataDir}\\) holds 512-dim vectors from ${TEST_MODEL_ENV.IMAGE_MODEL}`),
    );
    assert.match(other.stderr, /Set IMAGE_MODEL=photo-search\/clip-vit-tiny-random, or point DATA_DIR at an empty folder/);
    assert.doesNotMatch(other.stderr, /could not download/);
  });

  it("ingest exit codes: 1 when nothing could be indexed, 0 when some could, 1 with --strict", async () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, "broken.jpg"), "not a photo");
    const env = { ...TEST_MODEL_ENV, DATA_DIR: tempDir() };
    const nothing = await cli("ingest.ts", [folder], env);
    assert.equal(nothing.code, 1, nothing.stderr);
    assert.match(nothing.stdout, /0 indexed.*1 failed/);

    fs.copyFileSync(path.join(PHOTOS, "DSCN0010.jpg"), path.join(folder, "good.jpg"));
    const some = await cli("ingest.ts", [folder], env);
    assert.equal(some.code, 0, some.stderr);
    assert.match(some.stdout, /1 indexed.*1 failed/);
    assert.match(some.stdout, /failed: .*broken\.jpg/);

    const strict = await cli("ingest.ts", [folder, "--strict"], env);
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(strict.stdout, /1 unchanged.*1 failed/);
  });

  it("ingest of a folder that looks unmounted removes nothing: exit 5 with the reason, --force removes", async () => {
    const drive = path.join(tempDir(), "drive");
    fs.mkdirSync(drive);
    for (const name of ["DSCN0010.jpg", "DSCN0012.jpg"]) fs.copyFileSync(path.join(PHOTOS, name), path.join(drive, name));
    const dataDir = tempDir();
    const env = { ...TEST_MODEL_ENV, DATA_DIR: dataDir };
    assert.equal((await cli("ingest.ts", [drive], env)).code, 0);
    const stored = async () => {
      const store = new EmbeddedStore(dataDir);
      try {
        return await store.count();
      } finally {
        await store.close();
      }
    };
    assert.equal(await stored(), 2);

    fs.renameSync(drive, `${drive}-away`);
    const missing = await cli("ingest.ts", [drive], env);
    assert.equal(missing.code, 5, missing.stderr);
    assert.match(
      missing.stderr,
      /drive is missing \(ENOENT\), but the library's 2 photos under it would all look deleted: is the drive unmounted\?/,
    );
    fs.mkdirSync(drive);
    const empty = await cli("ingest.ts", [drive], env);
    assert.equal(empty.code, 5, empty.stderr);
    assert.match(empty.stderr, /holds no photos.*Nothing was removed/);
    const json = await cli("ingest.ts", [drive, "--json"], env);
    assert.equal(json.code, 5);
    assert.match(JSON.parse(json.stdout).missing.refused, /holds no photos/);
    assert.equal(await stored(), 2);

    const forced = await cli("ingest.ts", [drive, "--force"], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(count(forced.stdout, /missing: .*removed from the library/), 2);
    assert.equal(await stored(), 0);
    const typo = await cli("ingest.ts", [path.join(drive, "nothing-here")], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /is not a folder/);
  });

  it("models:fetch downloads with a progress bar into a folder that then works offline, quietly", async () => {
    const dir = tempDir();
    const fetched = await cli("fetch-models.ts", ["--dir", dir], { IMAGE_MODEL: TEST_MODEL_ENV.IMAGE_MODEL, HF_ENDPOINT: hub.url });
    assert.equal(fetched.code, 0, fetched.stderr);
    // The bar: percentage, bytes of the total, rate and ETA, per model.
    assert.match(
      fetched.stderr,
      /100% \| 582 kB of 582 kB \| [\d.]+ [kM]?B\/s \| ETA \d+s \| image model photo-search\/clip-vit-tiny-random/,
    );
    assert.match(fetched.stderr, /100% \| [\d.]+ MB of [\d.]+ MB \| .* \| text model photo-search\/clip-vit-tiny-random/);
    assert.match(fetched.stdout, new RegExp(`MODEL_DIR=${dir}`));
    assert.match(
      fetched.stderr,
      /multilingual text model .* was not fetched .* it is exported, not fetched: MODEL_DIR=.* npm run models:export/,
    );
    assert.ok(fs.existsSync(path.join(dir, TEST_MODEL_ENV.IMAGE_MODEL, "onnx", "vision_model.onnx")));

    const offline = await cli("ingest.ts", [PHOTOS, "--no-metadata"], {
      MODEL_DIR: dir,
      IMAGE_MODEL: TEST_MODEL_ENV.IMAGE_MODEL,
      DATA_DIR: tempDir(),
      HF_ENDPOINT: unreachable,
    });
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /11 indexed/);
    assert.doesNotMatch(offline.stderr, /model photo-search/, "no download bar: nothing downloads");
  });

  it("search --like a missing file: one line naming it, exit 2", async () => {
    const run = await cli("search.ts", ["--like", "missing.jpg"], { ...TEST_MODEL_ENV, DATA_DIR: tempDir() });
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim(), "error: cannot read --like missing.jpg: no such file");
  });
});
