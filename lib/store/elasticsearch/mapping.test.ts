import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseAnalyzer, indexBody } from "./mapping";

describe("the app's index mapping", () => {
  it("sets the vector format explicitly and records the model", () => {
    const body = indexBody({ modelId: "Xenova/clip-vit-base-patch32", dims: 512 });
    const vector = body.mappings.properties.image_embedding;
    assert.deepEqual(vector, { type: "dense_vector", dims: 512, index: true, similarity: "cosine", index_options: { type: "int8_hnsw" } });
    assert.deepEqual(body.mappings._meta, {
      app: "photo-search",
      schema: 1,
      model_id: "Xenova/clip-vit-base-patch32",
      dims: 512,
      text_analyzer: "standard",
    });
    assert.equal(body.mappings.properties.location.type, "geo_point");
    // A replica once a second data node exists; none on one node, so a single-node cluster stays green.
    assert.equal(body.settings.auto_expand_replicas, "0-1");
    assert.equal(body.settings.number_of_shards, 1);
    assert.equal(indexBody({ modelId: "m", dims: 512 }, "standard", 3).settings.number_of_shards, 3);
  });

  it("uses smartcn, else ICU, for captions when the cluster has the plugin", () => {
    assert.equal(chooseAnalyzer(["analysis-icu", "analysis-smartcn"]), "smartcn");
    assert.equal(chooseAnalyzer(["analysis-icu"]), "icu_analyzer");
    assert.equal(chooseAnalyzer(["repository-s3"]), "standard");
    const body = indexBody({ modelId: "m", dims: 512 }, "smartcn");
    assert.equal(body.mappings.properties.caption.analyzer, "smartcn");
    assert.equal(body.mappings.properties.tags.analyzer, "smartcn");
    assert.equal(body.mappings._meta.text_analyzer, "smartcn");
  });
});
