/**
 * Scale section: text queries at 100k photos under 1 and 8 clients, the production server with
 * QUERY_BATCHING=off (one encoder run per query: the baseline) and on (micro-batching and the
 * query cache), same build, same library, same run. Distinct texts, so the cache never answers.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { createServerEmbedders } from "@/lib/embedding/server";
import { apiLoad } from "../api-load";
import { round } from "../measure";
import { fillEmbeddedStore, startServer } from "../server";
import { syntheticCollection } from "../synthetic";
import type { SectionContext } from "./sections";

const PHOTOS = 100_000;

export async function textUnderLoad(context: SectionContext) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-text-"));
  try {
    context.log(`text under load: filling ${PHOTOS} photos`);
    await fillEmbeddedStore(dataDir, context.modelId, syntheticCollection(PHOTOS, 0).vectors);
    const textModelId = createServerEmbedders(parseConfig({ MODEL_DIR: context.modelDir, IMAGE_MODEL: context.modelId })).text.textModelId;
    const measured: Record<string, Record<string, { rps: number; p50: number; p95: number }>> = {};
    for (const batching of ["off", "on"]) {
      const server = await startServer({
        ...context.serverEnv(),
        STORE: "embedded",
        DATA_DIR: dataDir,
        TEXT_DTYPE: "q8",
        QUERY_BATCHING: batching,
        // A load test on loopback: no sign-in, and no per-client search limit (0 turns it off).
        AUTH: "off",
        SEARCHES_PER_MINUTE: "0",
      });
      try {
        context.log(`text under load: QUERY_BATCHING=${batching}`);
        const load = (await apiLoad({
          url: server.url,
          textModelId,
          queries: syntheticCollection(PHOTOS, 200).queries,
          connections: [1, 8],
          durationS: 15,
        })) as Record<string, { requestsPerS?: number; rps?: number; p50: number; p95: number }>;
        measured[batching] = Object.fromEntries(
          Object.entries(load).map(([key, v]) => [key, { rps: v.requestsPerS ?? v.rps ?? 0, p50: v.p50, p95: v.p95 }]),
        );
      } finally {
        await server.stop();
      }
    }
    const rows = [1, 8].map((connections) => {
      const before = measured.off![`textC${connections}`]!;
      const after = measured.on![`textC${connections}`]!;
      return { connections, before, after, gain: round(after.rps / before.rps, 2) };
    });
    return { photos: PHOTOS, rows, vector: { before: measured.off!.vectorC8, after: measured.on!.vectorC8 } };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
