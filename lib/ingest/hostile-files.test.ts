/**
 * Hostile and odd files through the ingest pipeline (uploads use the same one): each is either
 * indexed correctly or reported with a clear reason; none stops the run or takes unbounded memory.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp, { type CreateRaw, type Sharp } from "sharp";
import type { AppContext } from "@/lib/context";
import { COCO, meanAbsDifference, pngBomb, tempDir, testContext } from "@/lib/testing";
import { findImages } from "./files";
import { decodeImage } from "./image";
import { contentId, Ingestor, type IngestSummary } from "./pipeline";

const PHOTO = path.join(COCO, "images", "val2017", fs.readdirSync(path.join(COCO, "images", "val2017"))[2]!);
const LIMITS = { maxPixels: 100_000_000, thumbnailSize: 256 };

/** Stored pixels that EXIF orientation `o` turns back into `upright` (the inverse of each transform). */
async function storedFor(upright: Buffer, o: number): Promise<Buffer> {
  const steps: ((s: Sharp) => Sharp)[] = {
    1: [],
    2: [(s: Sharp) => s.flop()],
    3: [(s: Sharp) => s.rotate(180)],
    4: [(s: Sharp) => s.flip()],
    5: [(s: Sharp) => s.flop(), (s: Sharp) => s.rotate(270)], // inverse of transpose
    6: [(s: Sharp) => s.rotate(270)],
    7: [(s: Sharp) => s.flop(), (s: Sharp) => s.rotate(90)], // inverse of transverse
    8: [(s: Sharp) => s.rotate(90)],
  }[o]!;
  let buffer = upright;
  for (const step of steps) buffer = await step(sharp(buffer)).png().toBuffer();
  return sharp(buffer).withMetadata({ orientation: o }).jpeg({ quality: 95 }).toBuffer();
}

describe("hostile and odd files", () => {
  let ctx: AppContext;
  let dir: string;
  let summary: IngestSummary;
  let rssGrowthMb: number;
  const upright = sharp(PHOTO).resize(300, 200, { fit: "cover" });

  before(async () => {
    ctx = testContext("embedded");
    await ctx.store.ensureIndex(ctx.embedders.space);
    dir = tempDir();
    const photo = fs.readFileSync(PHOTO);
    const files: Record<string, Buffer | string> = {
      "truncated.jpg": photo.subarray(0, Math.floor(photo.length / 2)),
      "empty.jpg": Buffer.alloc(0),
      "page.jpg": "<!doctype html><script>alert(1)</script>",
      "drawing.png":
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>',
      "bomb.png": pngBomb(30_000, 30_000),
      "garbage-exif.jpg": Buffer.concat([
        photo.subarray(0, 2),
        Buffer.from([0xff, 0xe1, 0x00, 0x40]),
        Buffer.from("Exif\0\0"),
        Buffer.alloc(56, 0xab),
        photo.subarray(2),
      ]),
      "cmyk.jpg": await sharp(PHOTO).toColourspace("cmyk").jpeg().toBuffer(),
      "sixteen.png": await sharp(PHOTO).toColourspace("rgb16").png().toBuffer(),
      "animated.gif": await sharp(
        Buffer.concat([await upright.clone().raw().toBuffer(), await upright.clone().negate().raw().toBuffer()]),
        {
          raw: { width: 300, height: 400, channels: 3, pageHeight: 200 } as CreateRaw,
        },
      )
        .gif({ loop: 0 })
        .toBuffer(),
    };
    for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) files[`orientation-${o}.jpg`] = await storedFor(await upright.clone().png().toBuffer(), o);
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    const before = process.memoryUsage().rss;
    summary = await ctx.ingestor.ingest(dir, findImages(dir));
    rssGrowthMb = (process.memoryUsage().rss - before) / 1024 / 1024;
  });

  after(async () => {
    await ctx.store.close();
  });

  const reason = (name: string) => summary.failed.find((f) => path.basename(f.file) === name)?.reason;

  it("reports corrupt, empty, HTML, SVG and bomb files with a reason each, and indexes the rest", () => {
    assert.deepEqual(summary.failed.map((f) => path.basename(f.file)).sort(), [
      "bomb.png",
      "drawing.png",
      "empty.jpg",
      "page.jpg",
      "truncated.jpg",
    ]);
    assert.match(reason("empty.jpg")!, /empty/);
    assert.match(reason("page.jpg")!, /not a supported image/);
    assert.match(reason("drawing.png")!, /unsupported image format: svg/);
    assert.match(reason("bomb.png")!, /more than 100000000 pixels \(MAX_IMAGE_PIXELS\)/);
    assert.match(reason("truncated.jpg")!, /could not decode|not a supported image/);
    assert.equal(summary.indexed, 12);
  });

  it("keeps memory bounded on a decompression bomb (pixel limit checked before decoding)", () => {
    assert.ok(rssGrowthMb < 400, `RSS grew by ${rssGrowthMb.toFixed(0)} MB`);
  });

  it("indexes a photo whose EXIF is garbage, without EXIF facts", async () => {
    const photo = await ctx.store.get(contentId(fs.readFileSync(path.join(dir, "garbage-exif.jpg"))));
    assert.ok(photo);
    assert.equal(photo.location, undefined);
  });

  it("decodes CMYK, 16-bit and the first frame of an animation into 8-bit sRGB", async () => {
    const plain = await decodeImage(fs.readFileSync(PHOTO), LIMITS);
    for (const name of ["cmyk.jpg", "sixteen.png"]) {
      const decoded = await decodeImage(fs.readFileSync(path.join(dir, name)), LIMITS);
      assert.equal(decoded.embedInput.data.length, 224 * 224 * 3, name);
      assert.ok(meanAbsDifference(decoded.embedInput.data, plain.embedInput.data) < 12, `${name} looks like the photo`);
    }
    const gif = await decodeImage(fs.readFileSync(path.join(dir, "animated.gif")), LIMITS);
    assert.deepEqual([gif.width, gif.height], [300, 200], "one frame, not the stacked animation");
  });

  it("applies every EXIF orientation 1-8 before embedding", async () => {
    const reference = await decodeImage(await upright.clone().png().toBuffer(), LIMITS);
    for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const bytes = fs.readFileSync(path.join(dir, `orientation-${o}.jpg`));
      const decoded = await decodeImage(bytes, LIMITS);
      assert.deepEqual([decoded.width, decoded.height], [300, 200], `orientation ${o} dimensions`);
      // Resampling after a mirror or rotation shifts pixels by half a step (a few grey levels on
      // average); a wrongly oriented picture differs by several times more.
      const difference = meanAbsDifference(decoded.embedInput.data, reference.embedInput.data);
      assert.ok(difference < 12, `orientation ${o}: ${difference.toFixed(1)}`);
      if (o > 1) {
        const ignoringTag = await decodeImage(await sharp(bytes).withMetadata({ orientation: 1 }).jpeg({ quality: 95 }).toBuffer(), LIMITS);
        const wrong = meanAbsDifference(ignoringTag.embedInput.data, reference.embedInput.data);
        assert.ok(wrong > 2 * difference && wrong > 15, `orientation ${o} ignored would differ by only ${wrong.toFixed(1)}`);
      }
      const stored = await ctx.store.get(contentId(bytes));
      assert.deepEqual([stored?.width, stored?.height], [300, 200]);
    }
  });

  it("refuses a file over the byte limit without reading it", async () => {
    const limited = new Ingestor({
      store: ctx.store,
      embedder: ctx.embedders.image,
      dataDir: ctx.cfg.dataDir,
      limits: { ...LIMITS, maxFileBytes: 1000 },
    });
    const result = await limited.ingest(dir, [path.join(dir, "cmyk.jpg")]);
    assert.match(result.failed[0]!.reason, /bytes; the limit is 1000/);
  });
});
