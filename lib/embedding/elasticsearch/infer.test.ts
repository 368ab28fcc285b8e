/** The _infer embedder against a stand-in that speaks Elasticsearch's documented wire format. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { createServerEmbedders } from "@/lib/embedding/server";
import { TEST_MODEL_ENV } from "@/lib/testing";
import { dot, l2normalize } from "@/lib/vector";
import { ElasticsearchTextEmbedder } from "./index";
import { standInVector, startStandIn } from "./stand-in";

const TUTORIAL_MODEL = "sentence-transformers__clip-vit-b-32-multilingual-v1";
const SPACE = { modelId: "Xenova/clip-vit-base-patch32", dims: 512 };

describe("Elasticsearch _infer text embedder", () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  before(async () => {
    standIn = await startStandIn({
      [TUTORIAL_MODEL]: { state: "started", shape: "inference_results" },
      "legacy-model": { state: "started", shape: "flat" },
      "stopped-model": { state: "not started", shape: "inference_results" },
      "starting-model": { state: "starting", shape: "inference_results" },
      "slow-model": { state: "started", shape: "inference_results", delayMs: 3_000 },
      "wide-model": { state: "started", shape: "inference_results", dims: 768 },
    });
  });

  after(async () => {
    await standIn.close();
  });

  function embedder(modelId = TUTORIAL_MODEL, env: Record<string, string> = {}, fallback = false) {
    const cfg = parseConfig({
      ES_HOST: standIn.url,
      TEXT_EMBEDDER: "elasticsearch",
      ES_MODEL_ID: modelId,
      ES_INFER_TIMEOUT_MS: "1000",
      ...TEST_MODEL_ENV,
      ...env,
    });
    const server = fallback ? createServerEmbedders(cfg).text : undefined;
    return { embedder: new ElasticsearchTextEmbedder(SPACE, cfg.elasticsearch, cfg.textEmbedder, server), server };
  }

  it("sends the documented request and reads inference_results (8.3+), one vector per text", async () => {
    standIn.requests.length = 0;
    const texts = ["a mountain covered in snow", "雪山", "a red bus"];
    const vectors = await embedder().embedder.embedTexts(texts);
    assert.equal(vectors.length, 3);
    vectors.forEach((v, i) => assert.ok(dot(v, l2normalize(standInVector(texts[i]!))) > 0.99999));
    assert.deepEqual(standIn.requests, [
      {
        method: "POST",
        path: `/_ml/trained_models/${TUTORIAL_MODEL}/_infer`,
        authorization: undefined,
        body: { docs: texts.map((text_field) => ({ text_field })) },
      },
    ]);
  });

  it("reads the older flat predicted_value shape", async () => {
    const [vector] = await embedder("legacy-model").embedder.embedTexts(["snow"]);
    assert.ok(dot(vector!, l2normalize(standInVector("snow"))) > 0.99999);
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

  it("reports the deployment: started, starting, not started, missing", async () => {
    assert.equal((await embedder().embedder.deployment()).state, "started");
    assert.equal((await embedder("starting-model").embedder.deployment()).state, "starting");
    const stopped = await embedder("stopped-model").embedder.deployment();
    assert.equal(stopped.state, "not started");
    assert.match(stopped.detail!, /deployment\/_start/);
    const missing = await embedder("no-such-model").embedder.deployment();
    assert.equal(missing.state, "missing");
    assert.match(missing.detail!, /eland/);
  });

  it("explains a missing model, a model not started, and a timeout", async () => {
    await assert.rejects(
      embedder("no-such-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /no trained model no-such-model/.test(e.message),
    );
    await assert.rejects(
      embedder("stopped-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /not started.*not allocated/.test(e.message),
    );
    await assert.rejects(
      embedder("slow-model").embedder.embedTexts(["x"]),
      (e: AppError) => e.code === "embedder_unavailable" && /timed out after 1000 ms/.test(e.message),
    );
  });

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
