import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { GPS_SAMPLES, tempDir } from "@/lib/testing";
import { ThumbnailCache } from "./index";

const LIMITS = { maxPixels: 100_000_000, thumbnailSize: 160 };
const originals = fs
  .readdirSync(path.join(GPS_SAMPLES, "images"))
  .filter((name) => name.startsWith("DSCN"))
  .map((name) => path.join(GPS_SAMPLES, "images", name));

function cachedFiles(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".webp")) : [];
}

function folderBytes(dir: string): number {
  return cachedFiles(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

describe("thumbnail cache", () => {
  it("makes a thumbnail once, even for concurrent requests, and serves it again from disk", async () => {
    const dir = tempDir();
    const cache = new ThumbnailCache(dir, 10 * 1024 * 1024, LIMITS);
    const files = await Promise.all([1, 2, 3].map(() => cache.fileFor(originals[0]!)));
    assert.equal(new Set(files).size, 1);
    assert.deepEqual(cachedFiles(dir).length, 1);
    assert.equal(fs.readFileSync(files[0]!).subarray(8, 12).toString(), "WEBP");
    assert.equal(await cache.fileFor(originals[0]!), files[0]);
  });

  it("stays within its bound, evicting the least recently used first", async () => {
    const dir = tempDir();
    const one = fs.statSync(await new ThumbnailCache(tempDir(), 1e9, LIMITS).fileFor(originals[0]!)).size;
    const bound = Math.floor(one * 3.5);
    const cache = new ThumbnailCache(dir, bound, LIMITS);
    const made: string[] = [];
    for (const [i, original] of originals.slice(0, 3).entries()) {
      made.push(await cache.fileFor(original));
      // Last use, set explicitly: the first thumbnail was used most recently, the second least.
      const used = new Date(Date.UTC(2020, 0, 1 + (i === 0 ? 9 : i)));
      fs.utimesSync(made[i]!, used, used);
    }
    for (const original of originals.slice(3, 5)) {
      await cache.fileFor(original);
      assert.ok(folderBytes(dir) <= bound, `${folderBytes(dir)} bytes cached, bound ${bound}`);
    }
    assert.ok(fs.existsSync(made[0]!), "the most recently used survives");
    assert.ok(!fs.existsSync(made[1]!), "the least recently used is evicted first");
  });

  it("refuses what is not an image, caching nothing", async () => {
    const dir = tempDir();
    const bogus = path.join(tempDir(), "not-a-photo.jpg");
    fs.writeFileSync(bogus, "plain text");
    await assert.rejects(new ThumbnailCache(dir, 1e6, LIMITS).fileFor(bogus), (e: { code?: string }) => e.code === "invalid_image");
    assert.deepEqual(cachedFiles(dir), []);
  });
});
