/**
 * Thumbnails made on first request, for photos that ingest never saw (an index made elsewhere, such
 * as the embeddings generator's, whose files live below ES_IMAGE_ROOT). Each is made once from the
 * original and kept in DATA_DIR/thumbnail-cache under a key of the original's real path, size,
 * modification time and the thumbnail size, so an edited original gets a new one. The folder is
 * bounded (THUMBNAIL_CACHE_MB): past the bound, the least recently served thumbnails are deleted
 * (a hit refreshes the file's modification time). Concurrent requests for one photo make it once.
 *
 * Hand-written rather than a library: the disk caches on npm (cacache, …) are content stores
 * without a size bound, and eviction here is a sort by modification time.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { thumbnailOf, type DecodeLimits } from "@/lib/ingest/image";

/** After an eviction the cache is at most this share of its bound, so evictions are not constant. */
const LOW_WATER = 0.8;

export class ThumbnailCache {
  private usedBytes?: Promise<number>;
  private readonly making = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly limits: DecodeLimits,
  ) {}

  /** The thumbnail file of an original (an absolute, already checked path), made if need be. */
  async fileFor(original: string): Promise<string> {
    const stat = await fs.promises.stat(original);
    const key = createHash("sha256").update(`${original}\0${stat.size}\0${stat.mtimeMs}\0${this.limits.thumbnailSize}`).digest("hex");
    const file = path.join(this.dir, key.slice(0, 2), `${key}.webp`);
    if (await markUsed(file)) return file;
    let pending = this.making.get(key);
    if (!pending) {
      pending = this.make(original, file).finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }

  private async make(original: string, file: string): Promise<string> {
    const webp = await thumbnailOf(await fs.promises.readFile(original), this.limits);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.promises.writeFile(temporary, webp);
    await fs.promises.rename(temporary, file); // readers never see half a thumbnail
    const used = (await this.used()) + webp.length;
    this.usedBytes = Promise.resolve(used);
    if (used > this.maxBytes) await this.evict(file);
    return file;
  }

  /** The cache's size on disk, measured once per process and then kept up to date. */
  private used(): Promise<number> {
    this.usedBytes ??= listFiles(this.dir).then((files) => files.reduce((sum, f) => sum + f.bytes, 0));
    return this.usedBytes;
  }

  /** Deletes the least recently used thumbnails (never `keep`) until the cache is below its low-water mark. */
  private async evict(keep: string): Promise<void> {
    const files = (await listFiles(this.dir)).sort((a, b) => a.usedMs - b.usedMs);
    let used = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files) {
      if (used <= this.maxBytes * LOW_WATER) break;
      if (file.path === keep) continue;
      await fs.promises.rm(file.path, { force: true });
      used -= file.bytes;
    }
    this.usedBytes = Promise.resolve(used);
  }
}

/** Refreshes a cached file's modification time (its last use); false when it is not there. */
async function markUsed(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await fs.promises.utimes(file, now, now);
    return true;
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<{ path: string; bytes: number; usedMs: number }[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith(".webp"))
      .map(async (entry) => {
        const full = path.join(entry.parentPath, entry.name);
        try {
          const stat = await fs.promises.stat(full);
          return { path: full, bytes: stat.size, usedMs: stat.mtimeMs };
        } catch {
          return undefined; // evicted by another request meanwhile
        }
      }),
  );
  return files.filter((f) => f !== undefined);
}
