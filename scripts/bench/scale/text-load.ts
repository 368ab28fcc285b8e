/**
 * Scale section: text queries at 100k photos under 1 and 8 clients, the production server as on
 * the issue's day (QUERY_BATCHING=off, TEXT_ENCODER_THREAD=off: one encoder run per query, on the
 * main thread: the baseline), with micro-batching and the query cache alone, and as it ships (the
 * encoder in a worker thread too), same build, same library, same run. Distinct texts, so the
 * cache never answers. Ready-made vector queries on each server give the ceiling without an
 * encoder. The load average is taken after each server's runs (the machine is shared).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { apiLoad } from "../api-load";
import { round } from "../measure";
import { fillEmbeddedStore, prepareGraphIndex, startServer } from "../server";
import { syntheticCollection } from "../synthetic";
import type { SectionContext } from "./sections";

const PHOTOS = 100_000;

export async function textUnderLoad(context: SectionContext) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-text-"));
  try {
    context.log(`text under load: filling ${PHOTOS} photos`);
    await fillEmbeddedStore(dataDir, context.modelId, syntheticCollection(PHOTOS, 0).vectors);
    const graphStart = performance.now();
    const graph = await prepareGraphIndex(dataDir);
    context.log(
      `text under load: graph index ${graph ? `ready in ${((performance.now() - graphStart) / 1000).toFixed(1)} s` : "not used"}`,
    );
    const textModelId = createServerEmbedders(parseConfig({ MODEL_DIR: context.modelDir, IMAGE_MODEL: context.modelId })).text.textModelId;
    type Figures = { rps: number; p50: number; p95: number };
    const measured: Record<string, Record<string, Figures>> = {};
    const load: Record<string, number> = {};
    const configs = {
      before: { QUERY_BATCHING: "off", TEXT_ENCODER_THREAD: "off", RESCORE_THREAD_MIN_PHOTOS: "off" },
      batching: { QUERY_BATCHING: "on", TEXT_ENCODER_THREAD: "off", RESCORE_THREAD_MIN_PHOTOS: "off" },
      after: { QUERY_BATCHING: "on", TEXT_ENCODER_THREAD: "on", RESCORE_THREAD_MIN_PHOTOS: "20000" },
    };
    for (const [name, settings] of Object.entries(configs)) {
      const server = await startServer({
        ...context.serverEnv(),
        STORE: "embedded",
        DATA_DIR: dataDir,
        TEXT_DTYPE: "q8",
        ...settings,
        // A load test on loopback: no sign-in, and no per-client search limit (0 turns it off).
        AUTH: "off",
        SEARCHES_PER_MINUTE: "0",
      });
      try {
        context.log(
          `text under load: ${name} (QUERY_BATCHING=${settings.QUERY_BATCHING}, TEXT_ENCODER_THREAD=${settings.TEXT_ENCODER_THREAD})`,
        );
        // The first search loads the saved graph index in the background: give it time before measuring.
        await fetch(`${server.url}/api/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ q: "warm up", k: 30 }),
        });
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const figures = (await apiLoad({
          url: server.url,
          textModelId,
          queries: syntheticCollection(PHOTOS, 200).queries,
          connections: [1, 8],
          durationS: 15,
        })) as Record<string, { requestsPerS?: number; rps?: number; p50: number; p95: number }>;
        measured[name] = Object.fromEntries(
          Object.entries(figures).map(([key, v]) => [key, { rps: v.requestsPerS ?? v.rps ?? 0, p50: v.p50, p95: v.p95 }]),
        );
        load[name] = round(os.loadavg()[0]!, 1);
      } finally {
        await server.stop();
      }
    }
    const row = (key: string) => {
      const [before, batching, after] = [measured.before![key]!, measured.batching![key]!, measured.after![key]!];
      return { before, batching, after, gain: round(after.rps / before.rps, 2) };
    };
    return {
      photos: PHOTOS,
      rows: [1, 8].map((connections) => ({ connections, ...row(`textC${connections}`) })),
      vector: row("vectorC8"),
      load,
      graph,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
