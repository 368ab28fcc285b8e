import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import sharp from "sharp";
import { AppError } from "@/lib/errors";
import { COCO, meanAbsDifference, PROJECT, SHARED } from "@/lib/testing";
import { decodeImage } from "./image";

const LIMITS = { maxPixels: 50_000_000, thumbnailSize: 256 };
const photo = path.join(COCO, "images", "val2017", fs.readdirSync(path.join(COCO, "images", "val2017"))[0]!);

describe("image decoding", () => {
  it("applies EXIF orientation before thumbnailing and embedding", async () => {
    const upright = await sharp(photo).jpeg({ quality: 95 }).toBuffer();
    // Stored rotated 90° counter-clockwise with orientation 6 ("rotate 90° clockwise to view").
    const sideways = await sharp(await sharp(upright).rotate(-90).toBuffer())
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const [a, b] = await Promise.all([decodeImage(upright, LIMITS), decodeImage(sideways, LIMITS)]);
    assert.deepEqual([b.width, b.height], [a.width, a.height]);
    assert.ok(meanAbsDifference(a.embedInput.data, b.embedInput.data) < 4, "the encoder sees the same upright picture");
    const thumb = await sharp(b.thumbnail).metadata();
    assert.equal(thumb.width! > thumb.height!, a.width > a.height);
  });

  it("gives the encoder the pixels of the reference CLIP preprocessor, enlarging and reducing", async () => {
    // fixtures/clip-reference: Hugging Face's CLIPImageProcessor on Pillow (scripts/bench/reference_crops.py).
    // sharp's own cover crop was 1.5-8 levels apart on these, colour management 2-3 on the ICC one.
    const folder = path.join(PROJECT, "fixtures", "clip-reference");
    const manifest: { photo: string; reference: string }[] = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8"));
    for (const { photo: source, reference } of manifest) {
      const ours = await decodeImage(fs.readFileSync(path.join(SHARED, source)), LIMITS);
      const expected = await sharp(path.join(folder, reference)).removeAlpha().raw().toBuffer();
      const difference = meanAbsDifference(ours.embedInput.data, expected);
      assert.ok(difference < 0.6, `${source}: ${difference.toFixed(2)} levels from the reference`);
    }
  });

  it("crops an extreme panorama without enlarging it whole", async () => {
    const strip = await sharp({ create: { width: 4000, height: 12, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const decoded = await decodeImage(strip, LIMITS);
    assert.deepEqual([decoded.embedInput.width, decoded.embedInput.height], [224, 224]);
  });

  it("gives the encoder a 224x224 RGB square and a WebP thumbnail", async () => {
    const decoded = await decodeImage(fs.readFileSync(photo), LIMITS);
    assert.deepEqual([decoded.embedInput.width, decoded.embedInput.height, decoded.embedInput.data.length], [224, 224, 224 * 224 * 3]);
    assert.equal((await sharp(decoded.thumbnail).metadata()).format, "webp");
    assert.equal(decoded.mime, "image/jpeg");
  });

  it("reads PNG with alpha, GIF, WebP, AVIF and TIFF", async () => {
    const base = sharp(photo).resize(64, 48);
    for (const [format, mime] of [
      ["png", "image/png"],
      ["gif", "image/gif"],
      ["webp", "image/webp"],
      ["avif", "image/avif"],
      ["tiff", "image/tiff"],
    ] as const) {
      const bytes = await base.clone().ensureAlpha().toFormat(format).toBuffer();
      const decoded = await decodeImage(bytes, LIMITS);
      assert.equal(decoded.mime, mime, format);
      assert.equal(decoded.embedInput.data.length, 224 * 224 * 3, format);
    }
  });

  it("refuses images over the pixel limit before decoding them", async () => {
    const big = await sharp({ create: { width: 9000, height: 9000, channels: 3, background: "#888" } })
      .png()
      .toBuffer();
    await assert.rejects(
      decodeImage(big, { ...LIMITS, maxPixels: 10_000_000 }),
      (e: AppError) => e.code === "too_large" && /MAX_IMAGE_PIXELS/.test(e.message),
    );
  });
});
