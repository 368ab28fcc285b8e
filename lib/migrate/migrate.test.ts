/**
 * Moving a library between the embedded store and a real Elasticsearch without re-embedding: the CLI
 * killed (SIGKILL) half-way and run again ends with every photo exactly once and verified; the way
 * back (export) interrupted and resumed; a target of another model refused before anything is written.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { EmbeddedStore } from "@/lib/store/embedded";
import type { PhotoRecord, PhotoStore } from "@/lib/store/types";
import { ES_TEST_URL, PROJECT, randomUnitVector, seededRandom, tempDir, TEST_MODEL_ENV, uniqueIndexName } from "@/lib/testing";
import { migrate } from "./index";

const COUNT = 2_000;
const MODEL = { modelId: TEST_MODEL_ENV.IMAGE_MODEL, dims: 512 };

function records(count: number): PhotoRecord[] {
  const random = seededRandom(17);
  return Array.from({ length: count }, (_, i) => ({
    id: (i * 2654435761 + 1).toString(16).padStart(32, "0").slice(-32),
    root: "/photos",
    path: `trip/${i}.jpg`,
    folder: "photos/trip",
    name: `${i}.jpg`,
    width: 640,
    height: 480,
    bytes: 1000 + i,
    mime: "image/jpeg",
    ...(i % 3 === 0
      ? { takenAt: new Date(Date.UTC(2020, 0, 1 + (i % 365))).toISOString(), location: { lat: 30 + (i % 10), lon: 120 } }
      : {}),
    caption: `photo number ${i}`,
    tags: i % 2 ? ["beach"] : [],
    extra: (i % 5 === 0 ? { album: "summer" } : {}) as Record<string, string>,
    indexedAt: new Date(Date.UTC(2024, 0, 1)).toISOString(),
    vector: randomUnitVector(random),
  }));
}

/** Every id the store holds, read through scan: a photo written twice would show up twice. */
async function allIds(store: PhotoStore): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await store.scan(after, 1_000);
    ids.push(...page.map((record) => record.id));
    if (page.length < 1_000) return ids;
    after = page.at(-1)!.id;
  }
}

function runMigrate(args: string[], env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(MODEL_|DATA_DIR|IMAGE_|ES_|STORE)/.test(key)));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT, "scripts", "migrate.ts"), ...args], {
    cwd: PROJECT,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

describe("migrate between the stores", { skip: !ES_TEST_URL && "no Elasticsearch: run through npm test, or set ES_TEST_URL" }, () => {
  const library = records(COUNT);
  const dataDir = tempDir();
  const index = uniqueIndexName();
  const env = { ...TEST_MODEL_ENV, DATA_DIR: dataDir, ES_HOST: ES_TEST_URL ?? "", ES_INDEX: index };
  let source: EmbeddedStore;
  let elasticsearch: ElasticsearchStore;

  before(async () => {
    source = new EmbeddedStore(dataDir);
    await source.ensureIndex(MODEL);
    for (let i = 0; i < COUNT; i += 500) await source.upsert(library.slice(i, i + 500));
    elasticsearch = new ElasticsearchStore(parseConfig(env).elasticsearch);
  });

  after(async () => {
    await source.close();
    await fetch(`${ES_TEST_URL}/${index}`, { method: "DELETE" }).catch(() => undefined);
    await elasticsearch.close();
  });

  it("copies embedded → Elasticsearch, killed half-way and run again: every photo exactly once, verified", async () => {
    const checkpoint = path.join(dataDir, "migrate-to-elasticsearch.json");
    const first = runMigrate(["--to", "elasticsearch", "--batch", "50", "--json"], env);
    // Killed as soon as some pages are written and checkpointed (the checkpoint is first written before any page).
    const written = () => {
      try {
        return Boolean((JSON.parse(fs.readFileSync(checkpoint, "utf8")) as { after?: string }).after);
      } catch {
        return false; // not there yet
      }
    };
    while (!written() && first.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    assert.equal(killed.signal, "SIGKILL", `the first run ended before the kill: ${killed.output}`);
    await elasticsearch.refresh();
    const partial = await elasticsearch.count();
    assert.ok(partial > 0 && partial < COUNT, `${partial} photos after the kill`);

    const second = await runMigrate(["--to", "elasticsearch", "--batch", "500", "--json"], env).exited;
    assert.equal(second.code, 0, second.output);
    const summary = JSON.parse(second.output.slice(second.output.indexOf("{"))) as {
      copied: number;
      resumedAfter?: string;
      verification: { ok: boolean; sourceCount: number; targetCount: number; sampled: number; misses: string[] };
    };
    assert.ok(summary.resumedAfter, "the second run resumed from the checkpoint");
    assert.ok(summary.copied < COUNT, `${summary.copied} copied by the second run`);
    assert.deepEqual(summary.verification.misses, []);
    assert.equal(summary.verification.targetCount, COUNT);
    assert.ok(summary.verification.sampled >= 10);
    assert.ok(!fs.existsSync(checkpoint), "the checkpoint is removed once verified");
    // The run killed during the copy left the index unrefreshed and without replicas: the second put its settings back.
    const settings = (await (await fetch(`${ES_TEST_URL}/${index}/_settings?flat_settings=true`)).json()) as Record<
      string,
      { settings: Record<string, string> }
    >;
    const restored = Object.values(settings)[0]!.settings;
    assert.equal(restored["index.refresh_interval"], undefined, "refresh_interval back to the default");
    assert.equal(restored["index.auto_expand_replicas"], "0-1");

    const ids = await allIds(elasticsearch);
    assert.equal(ids.length, COUNT);
    assert.equal(new Set(ids).size, COUNT);
    const sample = library[1234]!;
    const copied = await elasticsearch.get(sample.id);
    assert.deepEqual(
      { caption: copied?.caption, tags: copied?.tags, extra: copied?.extra, path: copied?.path, location: copied?.location },
      { caption: sample.caption, tags: sample.tags, extra: sample.extra, path: sample.path, location: sample.location },
    );
    const vector = await elasticsearch.getVector(sample.id);
    assert.ok(vector && Math.abs(vector.reduce((sum, v, i) => sum + v * sample.vector[i]!, 0) - 1) < 1e-5, "the vector is the stored one");
  });

  it("exports Elasticsearch → embedded, interrupted and resumed, with the same photos and vectors", async () => {
    const exportDir = tempDir();
    const target = new EmbeddedStore(exportDir);
    const checkpointFile = path.join(exportDir, "migrate-to-embedded.json");
    try {
      const controller = new AbortController();
      const first = await migrate({
        source: elasticsearch,
        target,
        checkpointFile,
        batchSize: 200,
        signal: controller.signal,
        onProgress: ({ done }) => {
          if (done >= 1_000) controller.abort();
        },
      });
      assert.equal(first.interrupted, true);
      assert.ok((await target.count()) < COUNT);
      const second = await migrate({ source: elasticsearch, target, checkpointFile, batchSize: 1_000 });
      assert.ok(second.resumedAfter);
      assert.equal(second.verification?.ok, true, JSON.stringify(second.verification));
      assert.deepEqual((await allIds(target)).sort(), library.map((record) => record.id).sort());
      const sample = library[42]!;
      assert.equal((await target.get(sample.id))?.caption, sample.caption);
    } finally {
      await target.close();
    }
  });

  it("refuses a target holding another model's vectors, writing nothing", async () => {
    const otherIndex = uniqueIndexName();
    const other = new ElasticsearchStore(parseConfig({ ...env, ES_INDEX: otherIndex }).elasticsearch);
    try {
      await other.ensureIndex({ modelId: "someone/else", dims: 512 });
      await other.upsert([{ ...library[0]!, id: "f".repeat(32) }]);
      await other.refresh();
      await assert.rejects(
        migrate({ source, target: other, checkpointFile: path.join(tempDir(), "c.json") }),
        (e: AppError) => e.code === "model_mismatch" && /someone\/else/.test(e.message),
      );
      assert.equal(await other.count(), 1);
      await assert.rejects(
        migrate({ source, target: other, checkpointFile: path.join(tempDir(), "c.json"), expectedModelId: "another/model" }),
        (e: AppError) => e.code === "model_mismatch" && /IMAGE_MODEL/.test(e.message),
      );
    } finally {
      await fetch(`${ES_TEST_URL}/${otherIndex}`, { method: "DELETE" }).catch(() => undefined);
      await other.close();
    }
  });
});
