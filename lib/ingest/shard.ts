/**
 * Several ingest processes filling one store at once (`npm run ingest -- <folder> --shard 2/4`, on
 * one machine or many): each takes the photos whose content id falls in its shard. The id is the
 * SHA-256 of the file's bytes, so the split is stable across machines, runs and folder layouts, and
 * the same photo under two paths (or two machines' copies of a folder) lands in one shard: no photo
 * is embedded twice. Every process still reads and hashes every file (milliseconds) to know its share.
 */
import { AppError } from "@/lib/errors";

export interface Shard {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

/** `i/n`, 1 ≤ i ≤ n. */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new AppError("bad_request", `--shard ${value}: must be i/n with 1 ≤ i ≤ n, e.g. 1/2 and 2/2 for two processes`);
  }
  return { index, count };
}

/** The first 48 bits of the (already uniform) content hash, modulo the shard count. */
export function shardOf(photoId: string, count: number): number {
  return (parseInt(photoId.slice(0, 12), 16) % count) + 1;
}

export function inShard(photoId: string, shard: Shard): boolean {
  return shardOf(photoId, shard.count) === shard.index;
}
