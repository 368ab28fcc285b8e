/**
 * npm run migrate -- --to elasticsearch|embedded [--batch 1000] [--concurrency 3] [--sample 20] [--json]
 * Moves the library between the embedded store (DATA_DIR) and Elasticsearch (ES_HOST, ES_INDEX)
 * without embedding anything again (lib/migrate): --batch photos per bulk write, --concurrency writes
 * in flight. Into Elasticsearch, the index is not refreshed and keeps no replica during the copy;
 * both are restored at the end (by the next run, if this one is killed). `--to embedded` doubles as an export or backup of
 * an Elasticsearch index into a DATA_DIR folder. Interrupt it (Ctrl-C, or a kill) and run the same
 * command again: it resumes after the last photo written. Thumbnails stay in DATA_DIR, keyed by
 * photo id: point both stores' DATA_DIR at the same folder (or copy DATA_DIR/thumbnails along).
 * Exit codes: 0 copied and verified, 1 the verification found a difference, 2 bad arguments or a
 * model mismatch, 4 a store is unreachable, 130 interrupted.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { config } from "@/lib/config";
import { migrate } from "@/lib/migrate";
import { ElasticsearchStore } from "@/lib/store/elasticsearch";
import { EmbeddedStore } from "@/lib/store/embedded";
import { EXIT, runCli } from "./cli-context";
import { createBars } from "./model-progress";

const USAGE = "usage: npm run migrate -- --to elasticsearch|embedded [--batch 1000] [--concurrency 3] [--sample 20] [--json]";
/** How long one bulk page may take before it counts as lost. */
const BULK_TIMEOUT_MS = 300_000;
const FORMAT = "{bar} {percentage}% | {value}/{total} photos | {rate}/s | ETA {eta_formatted}";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      to: { type: "string" },
      batch: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "3" },
      sample: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
    },
  });
  const batchSize = Number(values.batch);
  const concurrency = Number(values.concurrency);
  const verifySample = Number(values.sample);
  const valid = Number.isInteger(batchSize) && batchSize > 0 && Number.isInteger(concurrency) && concurrency > 0 && verifySample >= 0;
  if ((values.to !== "elasticsearch" && values.to !== "embedded") || !valid) {
    console.error(USAGE);
    return EXIT.usage;
  }
  const cfg = config();
  if (!cfg.elasticsearch.node) {
    console.error(
      "error: ES_HOST is not set: migrate moves a library between DATA_DIR and the Elasticsearch index ES_HOST and ES_INDEX name",
    );
    return EXIT.usage;
  }
  const embedded = new EmbeddedStore(cfg.dataDir);
  // A bulk page of 1,000 photos builds 1,000 HNSW entries: on a busy node it takes longer than a
  // search may (ES_REQUEST_TIMEOUT_MS), and a timed-out page would be sent again to a busier node.
  const elasticsearch = new ElasticsearchStore({
    ...cfg.elasticsearch,
    requestTimeoutMs: Math.max(cfg.elasticsearch.requestTimeoutMs, BULK_TIMEOUT_MS),
  });
  const [source, target] = values.to === "elasticsearch" ? [embedded, elasticsearch] : [elasticsearch, embedded];
  const log = values.json ? () => undefined : (line: string) => console.log(line);
  log(`migrating ${source.place.name} → ${target.place.name}`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const bars = values.json ? undefined : createBars();
  let bar: ReturnType<NonNullable<typeof bars>["create"]> | undefined;
  const started = Date.now();
  try {
    const summary = await migrate({
      source,
      target,
      checkpointFile: path.join(cfg.dataDir, `migrate-to-${values.to}.json`),
      expectedModelId: cfg.models.image.id,
      batchSize,
      concurrency,
      verifySample,
      signal: controller.signal,
      onProgress: ({ done, total, copied }) => {
        bar ??= bars?.create(total, 0, { rate: "0" }, { format: FORMAT });
        bar?.update(done, { rate: (copied / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(0) });
      },
    });
    bars?.stop();
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      const seconds = summary.durationMs / 1000;
      const resumed = summary.resumedAfter ? ` (resumed: ${summary.total - summary.copied} already there)` : "";
      log(
        `${summary.copied} photos copied in ${seconds.toFixed(1)} s, ${(summary.copied / Math.max(seconds, 0.001)).toFixed(0)}/s${resumed}; model ${summary.model.modelId}`,
      );
      const check = summary.verification;
      if (check) {
        log(
          `verified: ${check.targetCount} of ${check.sourceCount} photos in the target; ${check.sampled - check.misses.length} of ${check.sampled} sampled photos find themselves first`,
        );
        for (const id of check.misses) log(`  not found first by its own vector: ${id}`);
        if (!check.ok) log("the target differs from the source: run the command again, or look at the photos above");
      }
    }
    if (summary.interrupted) {
      log("interrupted: run the same command again to resume");
      return EXIT.interrupted;
    }
    return summary.verification?.ok ? EXIT.ok : EXIT.filesFailed;
  } finally {
    bars?.stop();
    await Promise.all([embedded.close(), elasticsearch.close()]);
  }
});
