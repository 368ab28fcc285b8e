/**
 * Keeping a folder's photos in step with the folder: after an ingest, photos stored under the folder
 * whose files are gone are removed (thumbnails too; see remove.ts), or with `keepMissing` only
 * reported. A file counts as gone only when the file system says it does not exist: a file below a
 * folder that could not be read, or one the scan passed over (hidden, special, a symlink not
 * followed), is still there, and photos of other folders are never looked at.
 * A folder that is missing, unreadable or holds no photo at all while the library has photos under
 * it looks like a drive that is not mounted (or a share that dropped): then nothing is removed and
 * the result says why, unless `force` says the photos really are gone.
 */
import fs from "node:fs";
import path from "node:path";
import type { FolderScan } from "./files";
import type { PhotoLocation } from "@/lib/store/types";
import { folderOf } from "./files";
import { contentId } from "./pipeline";
import { removePhotos, type RemoveContext } from "./remove";

export interface MissingPhotos {
  /** Photos whose files are gone (or were replaced by new bytes): removed from the library, unless kept. */
  missing: { id: string; file: string; reason?: string }[];
  /** Whether they were removed (false with keepMissing, or when refused). */
  removed: boolean;
  /** Why nothing was removed although photos are missing: the folder looks unmounted. */
  refused?: string;
}

/**
 * Why the folder looks like an unmounted drive rather than a folder whose photos were deleted, or
 * undefined when it looks fine. Only asked when the library has photos under it.
 */
export function unmountedReason(folder: string, scan: Pick<FolderScan, "files" | "unreadable">, stored: number): string | undefined {
  const root = path.resolve(folder);
  const photos = `the library's ${stored} photo${stored === 1 ? "" : "s"} under it`;
  const advice = "Nothing was removed: mount the drive (or fix the path) and run again, or pass --force if the photos really are gone.";
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root);
  } catch (error) {
    return `${root} is missing (${(error as NodeJS.ErrnoException).code ?? "unknown error"}), but ${photos} would all look deleted: is the drive unmounted? ${advice}`;
  }
  if (!stat.isDirectory()) return `${root} is not a folder, but ${photos} would all look deleted. ${advice}`;
  if (scan.unreadable.some((dir) => path.resolve(dir) === root))
    return `${root} cannot be read, so ${photos} cannot be checked: is the drive unmounted, or the permissions changed? ${advice}`;
  if (scan.files.length === 0) return `${root} holds no photos, but ${photos} would all look deleted: is the drive unmounted? ${advice}`;
  return undefined;
}

export async function reconcileMissing(
  context: RemoveContext,
  folder: string,
  scan: Pick<FolderScan, "files" | "unreadable">,
  options: { keepMissing?: boolean; force?: boolean } = {},
): Promise<MissingPhotos> {
  const found = new Set(scan.files.map((file) => path.resolve(file)));
  const unreadable = scan.unreadable.map((dir) => path.resolve(dir) + path.sep);
  const stored = await context.store.locateUnder(folder);
  const refused = stored.size > 0 && !options.force ? unmountedReason(folder, scan, stored.size) : undefined;
  if (refused) return { missing: [], removed: false, refused };
  const missing: { id: string; file: string; reason?: string }[] = [];
  const idsByFile = new Map<string, string[]>();
  for (const [id, location] of stored) {
    const file = path.resolve(location.root, location.path);
    idsByFile.set(file, [...(idsByFile.get(file) ?? []), id]);
    if (found.has(file) || unreadable.some((dir) => file.startsWith(dir))) continue;
    if (isGone(file)) missing.push({ id, file });
  }
  // A file edited in place is a new photo (new bytes, new id) at the old one's path: the old
  // version's file is gone too, though the path exists.
  for (const [file, ids] of idsByFile) {
    if (ids.length < 2 || !found.has(file)) continue;
    const current = contentIdOf(file);
    if (current) for (const id of ids) if (id !== current) missing.push({ id, file, reason: "replaced by a newer version of the file" });
  }
  missing.sort((a, b) => a.file.localeCompare(b.file));
  if (options.keepMissing || missing.length === 0) return { missing, removed: false };
  const kept = await promoteCopies(context, missing);
  await removePhotos(
    context,
    missing.filter((m) => !kept.has(m.id)).map((m) => m.id),
  );
  return { missing, removed: true };
}

/**
 * A photo whose stored file is gone but whose bytes still lie at another recorded path (an identical
 * file) stays in the library at that path instead of being removed. Returns the ids kept.
 */
async function promoteCopies(context: RemoveContext, missing: { id: string; reason?: string }[]): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const { id, reason } of missing) {
    if (reason) continue; // replaced by new bytes: that content is gone everywhere it was edited
    const photo = await context.store.get(id);
    const alive = (photo?.copies ?? []).filter((c) => !isGone(path.resolve(c.root, c.path)));
    const vector = alive.length ? await context.store.getVector(id) : undefined;
    if (!photo || !vector) continue;
    const [next, ...rest] = alive as [PhotoLocation, ...PhotoLocation[]];
    const promoted = { ...photo, ...next, folder: folderOf(next.root, next.path), name: path.basename(next.path), copies: rest };
    await context.store.upsert([{ ...promoted, vector }]);
    kept.add(id);
  }
  if (kept.size) await context.store.refresh();
  return kept;
}

function contentIdOf(file: string): string | undefined {
  try {
    return contentId(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Only "no such file" means gone; "permission denied" or an I/O error means unknown, so kept. */
function isGone(file: string): boolean {
  try {
    fs.lstatSync(file);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
  }
}
