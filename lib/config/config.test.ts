import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { PROJECT, tempDir } from "@/lib/testing";
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

  it("takes several Elasticsearch nodes separated by commas, the first named in messages", () => {
    const cfg = parseConfig({ ES_HOST: "es1:9200, http://es2:9200 ,http://es3:9201/" });
    assert.deepEqual(cfg.elasticsearch.nodes, ["http://es1:9200", "http://es2:9200", "http://es3:9201"]);
    assert.equal(cfg.elasticsearch.node, "http://es1:9200");
    assert.deepEqual(parseConfig({ ES_HOST: "http://es:9200" }).elasticsearch.nodes, ["http://es:9200"]);
    const tls = parseConfig({ ES_HOST: "es1:9200,es2:9200", ES_CA_FINGERPRINT: "8f".repeat(32) });
    assert.deepEqual(tls.elasticsearch.nodes, ["https://es1:9200", "https://es2:9200"]);
  });

  for (const [value, message] of [
    ["http://es1:9200,,http://es2:9200", /"" is not a node address/],
    ["http://es1:9200,ftp://es2", /"ftp:\/\/es2" is not a node address/],
    ["http://es1:9200,https://es2:9200", /mixes http:\/\/ and https:\/\//],
  ] as const) {
    it(`refuses ES_HOST=${value}, naming the bad entry`, () => {
      assert.throws(
        () => parseConfig({ ES_HOST: value }),
        (e: ConfigError) => e instanceof ConfigError && e.variable === "ES_HOST" && message.test(e.message),
      );
    });
  }

  it("leaves the graph index's threshold to the store unless set, and turns it off with off", () => {
    assert.equal(parseConfig({}).graphIndexMinPhotos, undefined);
    assert.equal(parseConfig({ GRAPH_INDEX_MIN_PHOTOS: "200000" }).graphIndexMinPhotos, 200_000);
    assert.equal(parseConfig({ GRAPH_INDEX_MIN_PHOTOS: "off" }).graphIndexMinPhotos, Number.POSITIVE_INFINITY);
    assert.equal(parseConfig({}).rescoreThreadMinPhotos, undefined);
    assert.equal(parseConfig({ RESCORE_THREAD_MIN_PHOTOS: "5000" }).rescoreThreadMinPhotos, 5_000);
    assert.equal(parseConfig({ RESCORE_THREAD_MIN_PHOTOS: "off" }).rescoreThreadMinPhotos, Number.POSITIVE_INFINITY);
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

  it("creates the app's index with one primary shard unless ES_SHARDS says more", () => {
    assert.equal(parseConfig({ ES_HOST: "http://es:9200" }).elasticsearch.shards, 1);
    assert.equal(parseConfig({ ES_HOST: "http://es:9200", ES_SHARDS: "3" }).elasticsearch.shards, 3);
  });

  it("draws the shipped country outlines unless a tile URL is set", () => {
    assert.equal(parseConfig({}).map.tileUrl, undefined);
    const osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    assert.equal(parseConfig({ MAP_TILE_URL: osm }).map.tileUrl, osm);
  });

  for (const [env, variable] of [
    [{ STORE: "elasticsearch" }, "ES_HOST"],
    [{ ES_HOST: "ftp://x" }, "ES_HOST"],
    [{ PORT: "eighty" }, "PORT"],
    [{ STORE: "mongo" }, "STORE"],
    [{ ES_USER: "elastic" }, "ES_PWD"],
    [{ ES_INDEX: "Bad Index" }, "ES_INDEX"],
    [{ TEXT_MODEL_KIND: "sentence-transformers" }, "TEXT_MODEL_KIND"],
    [{ MAP_TILE_URL: "http://tile.example.com/{z}/{x}/{y}.png" }, "MAP_TILE_URL"],
    [{ MAP_TILE_URL: "https://tile.example.com/tiles.png" }, "MAP_TILE_URL"],
    [{ GRAPH_INDEX_MIN_PHOTOS: "many" }, "GRAPH_INDEX_MIN_PHOTOS"],
    [{ RESCORE_THREAD_MIN_PHOTOS: "-1" }, "RESCORE_THREAD_MIN_PHOTOS"],
    [{ ES_SHARDS: "0" }, "ES_SHARDS"],
    [{ ES_SHARDS: "three" }, "ES_SHARDS"],
  ] as const) {
    it(`names ${variable} when ${JSON.stringify(env)} is wrong`, () => {
      assert.throws(
        () => parseConfig(env),
        (e: ConfigError) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable),
      );
    });
  }

  describe("TLS settings", () => {
    const FINGERPRINT = "8fcbaa88cc075b731f1bfbf87cfaf54a0ef7b6518db8e551bbe4d6859c754694";

    it("accepts the CA fingerprint as Elasticsearch prints it, colon-separated, or as openssl's line", () => {
      const colons = FINGERPRINT.toUpperCase().match(/../g)!.join(":");
      for (const value of [FINGERPRINT, colons, `sha256 Fingerprint=${colons}`]) {
        assert.equal(parseConfig({ ES_HOST: "https://es:9200", ES_CA_FINGERPRINT: value }).elasticsearch.caFingerprint, FINGERPRINT);
      }
    });

    it("takes host:port without a scheme as https when a CA is given", () => {
      assert.equal(parseConfig({ ES_HOST: "es:9200", ES_CA_FINGERPRINT: FINGERPRINT }).elasticsearch.node, "https://es:9200");
    });

    for (const [what, env, variable, message] of [
      ["a malformed fingerprint", { ES_HOST: "https://es:9200", ES_CA_FINGERPRINT: "12:34" }, "ES_CA_FINGERPRINT", /64 hex digits/],
      [
        "a fingerprint with an http URL",
        { ES_HOST: "http://es:9200", ES_CA_FINGERPRINT: FINGERPRINT },
        "ES_CA_FINGERPRINT",
        /is http:\/\/: use https:\/\//,
      ],
      [
        "a CA file that does not exist",
        { ES_HOST: "https://es:9200", ES_CA_CERT: "/no/such/ca.crt" },
        "ES_CA_CERT",
        /\/no\/such\/ca\.crt, which does not exist/,
      ],
    ] as const) {
      it(`stops at ${what}, naming ${variable}`, () => {
        assert.throws(
          () => parseConfig(env),
          (e: ConfigError) => e instanceof ConfigError && e.variable === variable && message.test(e.message),
        );
      });
    }

    it("stops at a CA file that holds no certificate", () => {
      const file = path.join(tempDir(), "ca.crt");
      fs.writeFileSync(file, "not a certificate");
      assert.throws(
        () => parseConfig({ ES_HOST: "https://es:9200", ES_CA_CERT: file }),
        (e: ConfigError) => e.variable === "ES_CA_CERT" && /holds no PEM certificate/.test(e.message),
      );
    });

    it("stops the server at start-up with exit code 78 and the variable named, before any route runs", () => {
      const result = spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", path.join(PROJECT, "lib/testing/start-server.ts")],
        {
          cwd: PROJECT,
          env: { ...process.env, ES_HOST: "http://localhost:9200", ES_CA_FINGERPRINT: FINGERPRINT },
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      assert.equal(result.status, 78, result.stderr);
      assert.match(result.stdout + result.stderr, /ES_CA_FINGERPRINT is set but ES_HOST \(localhost:9200\) is http:\/\//);
    });
  });
});
