import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { AppError } from "@/lib/errors";
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

  it("reads past a byte-order mark", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "bom.json"), "\uFEFF" + JSON.stringify([{ image: "a.jpg", caption: "BOM" }]));
    fs.writeFileSync(path.join(dir, "bom.csv"), "\uFEFFfile,caption\nb.jpg,BOM too\n");
    assert.equal(loadMetadataFile(path.join(dir, "bom.json")).lookup(path.join(dir, "a.jpg"))?.caption, "BOM");
    assert.equal(loadMetadataFile(path.join(dir, "bom.csv")).lookup(path.join(dir, "b.jpg"))?.caption, "BOM too");
  });

  it("names the file and line of malformed JSON and CSV, of null records and of objects where text belongs", () => {
    const dir = tempDir();
    const refused = (name: string, content: string, message: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      assert.throws(
        () => loadMetadataFile(file),
        (error: AppError) => error instanceof AppError && error.code === "invalid_metadata" && error.message === `${file}${message}`,
      );
    };
    refused("malformed.json", '[\n {"image": "a.jpg",\n  "caption": "x"\n  "tags": []}\n]', ":4: not valid JSON (CommaExpected)");
    refused("null.json", '[\n {"image": "a.jpg"},\n null\n]', ":3: a record is null, not an object with a file name");
    refused(
      "object.json",
      '[\n {"image": "a.jpg",\n  "caption": {"en": "x"}}\n]',
      ":2: caption: expected text or a list of text, got an object",
    );
    refused("tags.json", '[{"image": "a.jpg", "tags": [{"a": 1}]}]', ":1: tags: expected text or a list of text, got an object");
    refused("keyed.json", '{\n "a.jpg": {"caption": "x"},\n "b.jpg": null\n}', ':3: the value of "b.jpg" is null, not an object of fields');
    refused(
      "name.json",
      '[{"file": 5}]',
      ":1: every record needs a file name in one of: image, file, path, filename, photo (file is number 5)",
    );
    refused(
      "quote.csv",
      'file,caption\na.jpg,"open\n',
      ": not valid CSV (Quote Not Closed: the parsing is finished with an opening quote at line 2)",
    );
    refused("scalar.json", '"just text"', ':1: expected a list of records or an object keyed by file, got text "just text"');
  });

  it("keeps null fields out instead of storing them", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "m.json"), JSON.stringify([{ image: "a.jpg", caption: null, tags: null, who: null, n: 3 }]));
    assert.deepEqual(loadMetadataFile(path.join(dir, "m.json")).lookup(path.join(dir, "a.jpg")), { extra: { n: "3" } });
  });

  it("bounds captions, tags and fields as uploads do, naming file, line, field and limit", () => {
    const dir = tempDir();
    const file = path.join(dir, "long.csv");
    fs.writeFileSync(file, `file,caption,tags\na.jpg,fine,x\nb.jpg,${"x".repeat(20_000)},y\n`);
    assert.throws(() => loadMetadataFile(file), { message: `${file}:3: caption: at most 5000 characters (got 20000)` });
    const many = path.join(dir, "tags.json");
    fs.writeFileSync(many, JSON.stringify([{ image: "a.jpg", tags: Array.from({ length: 150 }, (_, i) => `t${i}`) }]));
    assert.throws(() => loadMetadataFile(many), { message: `${many}:1: tags: at most 100 tags (got 150)` });
  });

  it("never opens a FIFO named like a metadata file", () => {
    const dir = tempDir();
    const fifo = path.join(dir, "metadata.json");
    execFileSync("mkfifo", [fifo]);
    assert.throws(() => loadMetadataFile(fifo), { message: `${fifo}: not a regular file (a FIFO, socket or device): not read` });
  });
});
