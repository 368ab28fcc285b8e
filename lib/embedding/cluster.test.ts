/**
 * TEXT_EMBEDDER=elasticsearch, as in the tutorial: every query, in any language, goes through the
 * cluster's multilingual model (a stand-in speaking Elasticsearch's documented _infer format), and
 * the answer names it; with ES_INFER_FALLBACK=server a failed _infer is answered by the server's
 * routed towers, and the answer names the tower that really embedded the query.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "@/lib/config";
import { TEST_MODEL_ENV } from "@/lib/testing";
import { dot, l2normalize } from "@/lib/vector";
import { standInVector, startStandIn } from "./elasticsearch/stand-in";
import { createEmbedders } from "./index";

const TUTORIAL_MODEL = "sentence-transformers__clip-vit-b-32-multilingual-v1";

describe("query text embedded in Elasticsearch", () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  before(async () => {
    standIn = await startStandIn({
      [TUTORIAL_MODEL]: { state: "started" },
      "stopped-model": { state: "not started" },
    });
  });

  after(async () => {
    await standIn.close();
  });

  const embedders = (env: Record<string, string> = {}) =>
    createEmbedders(
      parseConfig({ ...TEST_MODEL_ENV, ES_HOST: standIn.url, TEXT_EMBEDDER: "elasticsearch", ES_INFER_TIMEOUT_MS: "1000", ...env }),
    );

  it("sends every language to the cluster's model and names it", async () => {
    const { text } = embedders();
    for (const q of ["雪山", "snow mountain", "iPhone 海边"]) {
      const { vector, textModel } = await text.embedQuery(q);
      assert.equal(textModel, TUTORIAL_MODEL);
      assert.ok(dot(vector, l2normalize(standInVector(q))) > 0.99999);
    }
    assert.deepEqual(text.textModelIds, [TUTORIAL_MODEL]);
  });

  it("falls back to the server's routed towers when configured, naming the model that answered", async () => {
    const { text } = embedders({ ES_MODEL_ID: "stopped-model", ES_INFER_FALLBACK: "server" });
    assert.equal((await text.embedQuery("雪山")).textModel, TEST_MODEL_ENV.MULTILINGUAL_MODEL);
    assert.equal((await text.embedQuery("snow mountain")).textModel, TEST_MODEL_ENV.IMAGE_MODEL);
    await text.warm(); // a stopped deployment is not fatal with a fallback
  });

  it("fails without a fallback, saying the model is not started", async () => {
    const { text } = embedders({ ES_MODEL_ID: "stopped-model" });
    await assert.rejects(text.embedQuery("雪山"), /stopped-model is not started/);
  });
});
