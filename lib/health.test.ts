/** Readiness when query text is embedded by Elasticsearch (_infer) and its model is not started. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resetConfig } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { startStandIn } from "@/lib/embedding/elasticsearch/stand-in";
import { TEST_MODEL_ENV, tempDir } from "@/lib/testing";
import { readiness } from "./health";

describe("readiness with the Elasticsearch text model", () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  const saved = { ...process.env };

  before(async () => {
    standIn = await startStandIn({ "clip-text": { state: "not started" } });
  });

  after(async () => {
    await closeAppContext();
    process.env = saved;
    resetConfig();
    await standIn.close();
  });

  async function reportWith(env: Record<string, string>) {
    await closeAppContext();
    process.env = {
      ...saved,
      ...TEST_MODEL_ENV,
      DATA_DIR: tempDir(),
      STORE: "embedded",
      ES_HOST: standIn.url,
      TEXT_EMBEDDER: "elasticsearch",
      ES_MODEL_ID: "clip-text",
      ...env,
    };
    resetConfig();
    return readiness();
  }

  it("is not ready while the model is not started, and says how to start it", async () => {
    const report = await reportWith({});
    assert.equal(report.status, "unavailable");
    assert.match(report.problems!.join(" "), /Start it with POST _ml\/trained_models\/clip-text\/deployment\/_start/);
    assert.deepEqual(
      { embedder: report.models.text.embedder, state: report.models.text.state, id: report.models.text.id },
      { embedder: "elasticsearch", state: "not started", id: "clip-text" },
    );
  });

  it("is ready with a fallback to the server's model, still reporting the deployment", async () => {
    const report = await reportWith({ ES_INFER_FALLBACK: "server" });
    assert.equal(report.status, "ok");
    assert.equal(report.models.text.state, "not started");
    const [vector] = await appContext().embedders.text.embedTexts(["a red bus"]);
    assert.equal(vector!.length, 512);
  });

  it("says when the cluster has no machine learning, or no licence for it, rather than blaming the model", async () => {
    const unlicensed = await startStandIn({ "clip-text": { state: "started" } }, { licence: "basic" });
    try {
      const report = await reportWith({ ES_HOST: unlicensed.url });
      assert.equal(report.status, "unavailable");
      assert.equal(report.models.text.state, "unlicensed");
      assert.match(report.problems!.join(" "), /licence does not include machine learning/);
    } finally {
      await unlicensed.close();
    }
  });
});
