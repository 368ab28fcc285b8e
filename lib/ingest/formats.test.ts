/**
 * HEIC decoded (a real HEVC-coded file, see fixtures/heic/README.md) with its EXIF, and capture
 * dates a camera cannot have taken (before 1826, after tomorrow) stored as unknown with a warning.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { AppContext } from "@/lib/context";
import { GPS_SAMPLES, PROJECT, tempDir, testContext } from "@/lib/testing";
import { implausibleDate, readExif } from "./exif";
import { decodeImage } from "./image";
import { scanFolder } from "./files";

const HEIC = path.join(PROJECT, "fixtures", "heic", "DSCN0010.heic");
const SOURCE = path.join(GPS_SAMPLES, "images", "DSCN0010.jpg");

async function datedJpeg(date: string): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: Math.floor(Math.random() * 255) } } })
    .jpeg()
    .withExif({ IFD0: { Make: "Test" }, IFD2: { DateTimeOriginal: date } })
    .toBuffer();
}

describe("HEIC and implausible dates", () => {
  let ctx: AppContext;

  before(async () => {
    ctx = testContext("embedded");
    await ctx.store.ensureIndex(ctx.embedders.space);
  });

  after(async () => {
    await ctx.store.close();
  });

  it("decodes a HEVC-coded HEIC upright, with pixels matching its source photo", async () => {
    const limits = { maxPixels: 100_000_000, thumbnailSize: 512 };
    const decoded = await decodeImage(fs.readFileSync(HEIC), limits);
    assert.deepEqual([decoded.width, decoded.height, decoded.mime], [320, 240, "image/heic"]);
    const reference = await decodeImage(await sharp(SOURCE).resize(320, 240).png().toBuffer(), limits);
    let difference = 0;
    for (let i = 0; i < decoded.embedInput.data.length; i++)
      difference += Math.abs(decoded.embedInput.data[i]! - reference.embedInput.data[i]!);
    const mean = difference / decoded.embedInput.data.length;
    assert.ok(mean < 6, `mean difference ${mean.toFixed(2)} levels from the JPEG it was encoded from`);
    await assert.rejects(decodeImage(fs.readFileSync(HEIC), { ...limits, maxPixels: 1000 }), { code: "too_large" });
  });

  it("reads the HEIC's capture date, GPS position and camera", async () => {
    const { facts } = await readExif(fs.readFileSync(HEIC));
    assert.equal(facts.takenAt, "2008-10-22T16:28:39.000Z");
    assert.ok(Math.abs(facts.location!.lat - 43.4674483) < 1e-4 && Math.abs(facts.location!.lon - 11.8851267) < 1e-4);
    assert.match(facts.camera!, /COOLPIX P6000/);
  });

  it("finds and indexes .heic files like any other photo", async () => {
    const dir = tempDir();
    fs.copyFileSync(HEIC, path.join(dir, "IMG_0001.HEIC"));
    const scan = scanFolder(dir);
    assert.equal(scan.files.length, 1);
    const summary = await ctx.ingestor.ingest(dir, scan.files);
    assert.equal(summary.indexed, 1, JSON.stringify(summary.failed));
  });

  it("stores capture dates before 1826 or after tomorrow as unknown, with a warning", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    assert.equal(implausibleDate("1825-12-31T23:59:59Z", now), "before 1826");
    assert.equal(implausibleDate("1826-01-01T00:00:00Z", now), undefined);
    assert.equal(implausibleDate("2026-12-02T23:59:59Z", now), undefined, "tomorrow, in any time zone");
    assert.equal(implausibleDate("2026-12-03T00:00:00Z", now), "after tomorrow");

    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "future.jpg"), await datedJpeg("2999:01:01 00:00:00"));
    fs.writeFileSync(path.join(dir, "ancient.jpg"), await datedJpeg("1800:06:01 12:00:00"));
    fs.writeFileSync(path.join(dir, "fine.jpg"), await datedJpeg("2019:06:01 12:00:00"));
    const summary = await ctx.ingestor.ingest(dir, scanFolder(dir).files);
    assert.equal(summary.indexed, 3);
    assert.deepEqual(
      summary.warnings.map((w) => `${path.basename(w.file)}: ${w.warning}`),
      [
        "ancient.jpg: capture date 1800-06-01 is before 1826: stored as unknown",
        "future.jpg: capture date 2999-01-01 is after tomorrow: stored as unknown",
      ],
    );
    const page = await ctx.store.browse({ k: 10, offset: 0, filter: { folder: path.basename(dir) } });
    const taken = Object.fromEntries(page.hits.map((h) => [h.photo.name, h.photo.takenAt]));
    assert.deepEqual(taken, { "fine.jpg": "2019-06-01T12:00:00.000Z", "future.jpg": undefined, "ancient.jpg": undefined });
    assert.equal(page.hits[0]?.photo.name, "fine.jpg", "the 2999 photo is not pinned to the top of newest first");
  });
});
