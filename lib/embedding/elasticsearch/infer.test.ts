/** The _infer embedder against a stand-in that speaks Elasticsearch's documented wire format. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { createServerEmbedders } from "@/lib/embedding/server";
import { ES_TEST_URL, TEST_MODEL_ENV } from "@/lib/testing";
import { dot, l2normalize } from "@/lib/vector";
import { ElasticsearchTextEmbedder, parseInferResponse } from "./index";
import { standInVector, startStandIn } from "./stand-in";

const TUTORIAL_MODEL = "sentence-transformers__clip-vit-b-32-multilingual-v1";
const SPACE = { modelId: "Xenova/clip-vit-base-patch32", dims: 512 };

describe("Elasticsearch _infer text embedder", () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  before(async () => {
    standIn = await startStandIn({
      [TUTORIAL_MODEL]: { state: "started" },
      "stopped-model": { state: "not started" },
      "starting-model": { state: "starting" },
      "failed-model": { state: "failed" },
      "slow-model": { state: "started", delayMs: 3_000 },
      "wide-model": { state: "started", dims: 768 },
    });
  });

  after(async () => {
    await standIn.close();
  });

  function embedder(modelId = TUTORIAL_MODEL, env: Record<string, string> = {}, fallback = false, host = standIn.url) {
    const cfg = parseConfig({
      ES_HOST: host,
      TEXT_EMBEDDER: "elasticsearch",
      ES_MODEL_ID: modelId,
      ES_INFER_TIMEOUT_MS: "1000",
      ...TEST_MODEL_ENV,
      ...env,
    });
    const server = fallback ? createServerEmbedders(cfg).text : undefined;
    return { embedder: new ElasticsearchTextEmbedder(SPACE, cfg.elasticsearch, cfg.textEmbedder, server), server };
  }

  it("sends the documented request, with the timeout parameter, and reads inference_results, one vector per text", async () => {
    standIn.requests.length = 0;
    const texts = ["a mountain covered in snow", "雪山", "a red bus"];
    const vectors = await embedder().embedder.embedTexts(texts);
    assert.equal(vectors.length, 3);
    vectors.forEach((v, i) => assert.ok(dot(v, l2normalize(standInVector(texts[i]!))) > 0.99999));
    assert.deepEqual(standIn.requests, [
      {
        method: "POST",
        path: `/_ml/trained_models/${TUTORIAL_MODEL}/_infer`,
        query: { timeout: "1000ms" },
        authorization: undefined,
        body: { docs: texts.map((text_field) => ({ text_field })) },
      },
    ]);
  });

  it("accepts only the documented _infer body: the flat shape of the deprecated deployment/_infer is not an answer here", () => {
    assert.deepEqual(parseInferResponse({ inference_results: [{ predicted_value: [0.5, 0.5] }] }, 1), [[0.5, 0.5]]);
    assert.throws(
      () => parseInferResponse({ predicted_value: [0.5, 0.5] } as never, 1),
      (e: AppError) => e.code === "embedder_unavailable" && /returned no text embedding/.test(e.message),
    );
  });

  it("sends basic auth or an API key", async () => {
    standIn.requests.length = 0;
    await embedder(TUTORIAL_MODEL, { ES_USER: "elastic", ES_PWD: "pw" }).embedder.embedTexts(["x"]);
    await embedder(TUTORIAL_MODEL, { ES_API_KEY: "a2V5OnNlY3JldA==" }).embedder.embedTexts(["x"]);
    assert.deepEqual(
      standIn.requests.map((r) => r.authorization),
      [`Basic ${Buffer.from("elastic:pw").toString("base64")}`, "ApiKey a2V5OnNlY3JldA=="],
    );
  });

  it("reports the deployment: started, starting, failed, not started, missing", async () => {
    assert.equal((await embedder().embedder.deployment()).state, "started");
    assert.equal((await embedder("starting-model").embedder.deployment()).state, "starting");
    const failed = await embedder("failed-model").embedder.deployment();
    assert.equal(failed.state, "failed");
    assert.match(failed.detail!, /out of memory.*deployment\/_stop/);
    const stopped = await embedder("stopped-model").embedder.deployment();
    assert.equal(stopped.state, "not started");
    assert.match(stopped.detail!, /deployment\/_start/);
    const missing = await embedder("no-such-model").embedder.deployment();
    assert.equal(missing.state, "missing");
    assert.match(missing.detail!, /eland/);
  });

  it("explains a missing model, a model not started, starting or failed, and a timeout the cluster enforced", async () => {
    await assert.rejects(
      embedder("no-such-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /no trained model no-such-model/.test(e.message),
    );
    await assert.rejects(
      embedder("stopped-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /is not started: .*not allocated.*deployment\/_start/.test(e.message),
    );
    await assert.rejects(
      embedder("starting-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /is starting: .*once it has started/.test(e.message),
    );
    await assert.rejects(
      embedder("failed-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /is failed: .*out of memory/.test(e.message),
    );
    await assert.rejects(
      embedder("slow-model").embedder.embedTexts(["x"]),
      (e: AppError) =>
        e.code === "embedder_unavailable" &&
        /timed out after 1000 ms \(timeout \[1000ms\] waiting for inference result\).*ES_INFER_TIMEOUT_MS/.test(e.message),
    );
  });

  it("tells a cluster without a machine-learning licence from a model problem", async () => {
    const unlicensed = await startStandIn({ [TUTORIAL_MODEL]: { state: "started" } }, { licence: "basic" });
    try {
      const report = await embedder(TUTORIAL_MODEL, {}, false, unlicensed.url).embedder.deployment();
      assert.equal(report.state, "unlicensed");
      assert.match(report.detail!, /licence does not include machine learning.*ES_INFER_FALLBACK=server/);
      await assert.rejects(
        embedder(TUTORIAL_MODEL, {}, false, unlicensed.url).embedder.embedTexts(["x"]),
        (e: AppError) => e.code === "embedder_unavailable" && /non-compliant for \[ml\]/.test(e.message),
      );
    } finally {
      await unlicensed.close();
    }
  });

  it(
    "tells a real cluster without machine learning (the test distribution has none) from a model problem",
    { skip: !ES_TEST_URL && "no Elasticsearch" },
    async () => {
      const report = await embedder(TUTORIAL_MODEL, {}, false, ES_TEST_URL).embedder.deployment();
      assert.equal(report.state, "no ml");
      assert.match(report.detail!, /no machine learning \(no handler found.*TEXT_EMBEDDER=server/);
      await assert.rejects(
        embedder(TUTORIAL_MODEL, {}, false, ES_TEST_URL).embedder.embedTexts(["x"]),
        (e: AppError) => e.code === "embedder_unavailable" && /no machine learning/.test(e.message),
      );
    },
  );

  it("refuses vectors of another size than the index's", async () => {
    await assert.rejects(
      embedder("wide-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "model_mismatch" && /768/.test(e.message),
    );
  });

  it("falls back to the server's text model when configured to", async () => {
    const { embedder: withFallback, server } = embedder("stopped-model", {}, true);
    const [vector] = await withFallback.embedTexts(["a red bus"]);
    const [expected] = await server!.embedTexts(["a red bus"]);
    assert.ok(dot(vector!, expected!) > 0.99999);
  });
});
