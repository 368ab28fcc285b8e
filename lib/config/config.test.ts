import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "./index";

describe("config", () => {
  it("defaults to the embedded store, port 5001 and the hub's CLIP ViT-B/32", () => {
    const cfg = parseConfig({});
    assert.equal(cfg.store, "embedded");
    assert.equal(cfg.server.port, 5001);
    assert.equal(cfg.models.image.id, "Xenova/clip-vit-base-patch32");
    assert.equal(cfg.models.text.id, "Xenova/clip-vit-base-patch32");
    assert.equal(cfg.models.localDir, undefined);
  });

  it("chooses Elasticsearch when ES_HOST is set, with the tutorial's variables", () => {
    const cfg = parseConfig({ ES_HOST: "es-cn-abc.elasticsearch.aliyuncs.com:9200", ES_USER: "elastic", ES_PWD: "secret" });
    assert.equal(cfg.store, "elasticsearch");
    assert.equal(cfg.elasticsearch.node, "http://es-cn-abc.elasticsearch.aliyuncs.com:9200");
    assert.deepEqual([cfg.elasticsearch.username, cfg.elasticsearch.password], ["elastic", "secret"]);
  });

  it("lets STORE override the automatic choice", () => {
    assert.equal(parseConfig({ ES_HOST: "http://localhost:9200", STORE: "embedded" }).store, "embedded");
  });

  it("has both text towers by default, and takes a mirror or a local model folder", () => {
    const cfg = parseConfig({ HF_ENDPOINT: "https://hf-mirror.com" });
    assert.equal(cfg.models.text.id, "Xenova/clip-vit-base-patch32");
    assert.deepEqual(cfg.models.multilingual, { id: "sentence-transformers/clip-ViT-B-32-multilingual-v1", dtype: "q8" });
    assert.equal(cfg.models.image.id, "Xenova/clip-vit-base-patch32");
    assert.equal(parseConfig({ MULTILINGUAL_MODEL: "off" }).models.multilingual, undefined);
    assert.equal(cfg.models.remoteHost, "https://hf-mirror.com");
    assert.ok(parseConfig({ MODEL_DIR: "models" }).models.localDir?.endsWith("/models"));
  });

  for (const [env, variable] of [
    [{ STORE: "elasticsearch" }, "ES_HOST"],
    [{ ES_HOST: "ftp://x" }, "ES_HOST"],
    [{ PORT: "eighty" }, "PORT"],
    [{ STORE: "mongo" }, "STORE"],
    [{ ES_USER: "elastic" }, "ES_PWD"],
    [{ ES_INDEX: "Bad Index" }, "ES_INDEX"],
    [{ TEXT_MODEL_KIND: "sentence-transformers" }, "TEXT_MODEL_KIND"],
  ] as const) {
    it(`names ${variable} when ${JSON.stringify(env)} is wrong`, () => {
      assert.throws(
        () => parseConfig(env),
        (e: ConfigError) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable),
      );
    });
  }
});
