import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { COCO, DATASETS, tempDir } from "@/lib/testing";
import { loadMetadataFile } from "./metadata-file";

describe("metadata files", () => {
  it("reads coco-mini's captions.json, with paths relative to the file", () => {
    const index = loadMetadataFile(path.join(COCO, "captions.json"));
    assert.equal(index.size, 159);
    const text = index.lookup(path.join(COCO, "images/val2017/000000397133.jpg"))!;
    assert.equal(text.caption!.split("\n").length, 5);
    assert.match(text.caption!, /kitchen making pizzas/);
    assert.equal(text.extra.coco_id, "397133");
  });

  it("merges several CSV rows of one file (Flickr8k's one caption per row)", () => {
    const index = loadMetadataFile(path.join(DATASETS, "flickr8k-1k", "captions.csv"));
    assert.equal(index.size, 1000);
    const text = index.lookup("/anywhere/1000268201_693b08cb0e.jpg")!; // found by its unique name
    assert.equal(text.caption!.split("\n").length, 5);
  });

  it("takes tags as a list or a delimited string, and keeps other fields as extra", () => {
    const dir = tempDir();
    const file = path.join(dir, "meta.csv");
    fs.writeFileSync(file, 'file,caption,tags,place\nsub/a.jpg,雪山,"snow; mountain",Tibet\n');
    const text = loadMetadataFile(file).lookup(path.join(dir, "sub/a.jpg"))!;
    assert.deepEqual(text, { caption: "雪山", tags: ["snow", "mountain"], extra: { place: "Tibet" } });
  });

  it("rejects records that name no file", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify([{ caption: "orphan" }]));
    assert.throws(() => loadMetadataFile(path.join(dir, "bad.json")), /file name/);
  });
});
