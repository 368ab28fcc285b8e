/**
 * Camera-size photos: a 12 MP JPEG stored sideways with an EXIF orientation, as a camera held
 * upright writes it, is ingested upright, with its thumbnail at the configured size, from one
 * reduced decode (lib/ingest/image.ts); an embedded ICC profile still colours the thumbnail and not
 * the encoder's input. The pictures are made here with sharp; timing is measured by the bench.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import sharp, { type Sharp } from "sharp";
import { tempDir, testContext } from "@/lib/testing";
import { decodeImage, sharedDecodeSize } from "./image";
import { contentId } from "./pipeline";
import { thumbnailPath } from "./thumbnails";

const WIDTH = 4000;
const HEIGHT = 3000;
const RED = { r: 220, g: 30, b: 30 };
const BLUE = { r: 30, g: 30, b: 220 };

/** An upright 4000 x 3000 picture, raw: red in its top third, blue below. */
function upright(): Promise<Buffer> {
  return sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: BLUE } })
    .composite([{ input: { create: { width: WIDTH, height: HEIGHT / 3, channels: 3, background: RED } }, top: 0, left: 0 }])
    .removeAlpha() // composite adds one
    .raw()
    .toBuffer();
}

/** Stored turned a quarter (3000 x 4000 pixels) with orientation 6, "rotate 90° clockwise to view". */
async function sideways(): Promise<Buffer> {
  const turned = await sharp(await upright(), { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .rotate(-90)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 3 } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Mean colour of a band of rows of raw RGB pixels. */
function bandColour(pixels: { data: Uint8Array | Buffer; width: number; channels: number }, from: number, to: number) {
  const sum = [0, 0, 0];
  for (let y = from; y < to; y++)
    for (let x = 0; x < pixels.width; x++)
      for (let c = 0; c < 3; c++) sum[c]! += pixels.data[(y * pixels.width + x) * pixels.channels + c]!;
  const n = (to - from) * pixels.width;
  return { r: sum[0]! / n, g: sum[1]! / n, b: sum[2]! / n };
}

const isRed = (c: { r: number; b: number }) => c.r > 150 && c.b < 100;
const isBlue = (c: { r: number; b: number }) => c.b > 150 && c.r < 100;

describe("camera-size photos", () => {
  it("ingests a 12 MP JPEG stored sideways upright, with a thumbnail at the configured size", async () => {
    const ctx = testContext("embedded", { THUMBNAIL_SIZE: "480" });
    const root = tempDir();
    const file = path.join(root, "IMG_0001.jpg");
    fs.writeFileSync(file, await sideways());
    const summary = await ctx.ingestor.ingest(root, [file]);
    assert.deepEqual([summary.indexed, summary.failed], [1, []]);
    const photo = await ctx.store.get(contentId(fs.readFileSync(file)));
    assert.ok(photo, "the photo is stored");
    assert.deepEqual([photo.width, photo.height], [WIDTH, HEIGHT], "upright dimensions");

    const thumbnail = await sharp(fs.readFileSync(thumbnailPath(ctx.cfg.dataDir, photo.id)))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([thumbnail.info.width, thumbnail.info.height], [480, 360]);
    const rows = thumbnail.info.height;
    const pixels = { data: thumbnail.data, width: thumbnail.info.width, channels: thumbnail.info.channels };
    assert.ok(isRed(bandColour(pixels, 10, Math.floor(rows / 3) - 10)), "red on top");
    assert.ok(isBlue(bandColour(pixels, Math.ceil(rows / 3) + 10, rows - 10)), "blue below");
    await ctx.store.close();
  });

  it("gives the encoder the upright picture from the same reduced decode", async () => {
    const bytes = await sideways();
    assert.ok(sharedDecodeSize(WIDTH, HEIGHT, 480), "a 12 MP photo takes the one-decode path");
    const decoded = await decodeImage(bytes, { maxPixels: 50_000_000, thumbnailSize: 480 });
    const input = { data: decoded.embedInput.data, width: 224, channels: 3 };
    // The encoder sees the centre 224 x 224 of the picture resized to 298 x 224: red in its top 74 rows.
    assert.ok(isRed(bandColour(input, 5, 65)), "red on top");
    assert.ok(isBlue(bandColour(input, 85, 219)), "blue below");
  });

  it("colour-manages the thumbnail with an embedded ICC profile, and not the encoder's input", async () => {
    const grey = { r: 128, g: 128, b: 128 };
    const green = { r: 40, g: 160, b: 60 };
    // Tagged Display P3 (sharp converts the colours and attaches the profile): managed and unmanaged values differ.
    const tagged = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: green } })
      .composite([{ input: { create: { width: WIDTH / 2, height: HEIGHT, channels: 3, background: grey } }, top: 0, left: 0 }])
      .withIccProfile("p3", { attach: true })
      .jpeg({ quality: 95 })
      .toBuffer();
    assert.ok((await sharp(tagged).metadata()).icc, "the JPEG carries its profile");
    const decoded = await decodeImage(tagged, { maxPixels: 50_000_000, thumbnailSize: 480 });
    const mean = async (image: Sharp) => {
      const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
      return bandColour({ data, width: info.width, channels: info.channels }, 0, info.height);
    };
    // The references: sharp's own resize of the whole file, colour-managed and not.
    const managed = await mean(sharp(tagged).resize(480, 360));
    const unmanaged = await mean(
      sharp(tagged, { ignoreIcc: true }).resize(298, 224).extract({ left: 37, top: 0, width: 224, height: 224 }),
    );
    assert.ok(Math.abs(managed.r - unmanaged.r) > 8, `the profile matters: red ${managed.r} vs ${unmanaged.r}`);
    const thumbnail = await mean(sharp(decoded.thumbnail));
    const input = await mean(sharp(Buffer.from(decoded.embedInput.data), { raw: { width: 224, height: 224, channels: 3 } }));
    for (const c of ["r", "g", "b"] as const) {
      assert.ok(Math.abs(thumbnail[c] - managed[c]) < 4, `thumbnail ${c}: ${thumbnail[c]} vs ${managed[c]}`);
      assert.ok(Math.abs(input[c] - unmanaged[c]) < 4, `input ${c}: ${input[c]} vs ${unmanaged[c]}`);
    }
  });
});
