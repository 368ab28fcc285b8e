/**
 * Uploaded photos are the only photo files the app owns: DATA_DIR/uploads/<photo id><extension>,
 * named by their content, so the same bytes uploaded under five names are one file. Everything else
 * a photo can point at is the user's own folder, which the app reads and never changes.
 */
import fs from "node:fs";
import path from "node:path";

export function uploadsDir(dataDir: string): string {
  return path.resolve(dataDir, "uploads");
}

/** Where an upload with these bytes (photo id) lives. */
export function uploadPath(dataDir: string, id: string, originalName: string): string {
  const ext = path
    .extname(originalName)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, "");
  return path.join(uploadsDir(dataDir), `${id}${ext}`);
}

/**
 * The file of a photo stored at `root`/`relative`, if the app owns it: a regular file (not a
 * symlink) directly below DATA_DIR/uploads. Undefined for anything in a user's folder.
 */
export function ownedUploadFile(dataDir: string, root: string, relative: string): string | undefined {
  const uploads = uploadsDir(dataDir);
  if (path.resolve(root) !== uploads) return undefined;
  const file = path.resolve(uploads, relative);
  if (path.dirname(file) !== uploads) return undefined;
  try {
    return fs.lstatSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a photo. */
export function writeUpload(target: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, target);
}
