/**
 * Finds photo files under a folder, surviving real folders: an unreadable subfolder is reported and
 * skipped, FIFOs, sockets and devices are never opened, symlinks are followed only to files inside
 * the folder (the same rule the original-file route applies), and photo formats the app cannot
 * decode are named rather than silently ignored.
 */
import fs from "node:fs";
import path from "node:path";

export const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".heic", ".heif"]);

/** Photo formats a camera or an editor writes that the app cannot decode: named in the summary. */
const UNSUPPORTED_PHOTOS: Record<string, string> = {
  ".jxl": "JPEG XL",
  ".dng": "camera raw",
  ".cr2": "camera raw",
  ".cr3": "camera raw",
  ".nef": "camera raw",
  ".arw": "camera raw",
  ".raf": "camera raw",
  ".orf": "camera raw",
  ".rw2": "camera raw",
  ".bmp": "BMP",
  ".psd": "Photoshop",
};

export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

export interface SkippedEntry {
  file: string;
  reason: string;
}

export interface FolderScan {
  /** Absolute paths of photo files, sorted. */
  files: string[];
  /** What was passed over and why: unreadable folders, special files, symlinks, unsupported formats. */
  skipped: SkippedEntry[];
  /** Folders that could not be read: what lies below them is unknown, not gone. */
  unreadable: string[];
}

/** Scans `root` for photo files, skipping hidden entries and `skip` folders (such as DATA_DIR). */
export function scanFolder(root: string, skip: string[] = []): FolderScan {
  const skipped = new Set(skip.map((p) => path.resolve(p)));
  const top = path.resolve(root);
  const realTop = realPath(top) ?? top;
  const scan: FolderScan = { files: [], skipped: [], unreadable: [] };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      scan.unreadable.push(dir);
      scan.skipped.push({ file: dir, reason: `folder not readable (${errorCode(error)}): skipped with everything below it` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(full)) walk(full);
      } else if (entry.isFile()) {
        classifyFile(full, scan);
      } else if (entry.isSymbolicLink()) {
        followLink(full, realTop, scan);
      } else {
        scan.skipped.push({ file: full, reason: `${specialKind(entry)}: never opened` });
      }
    }
  };
  walk(top);
  scan.files.sort();
  return scan;
}

/** Absolute paths of photo files below `root`, sorted (see scanFolder for what is skipped). */
export function findImages(root: string, skip: string[] = []): string[] {
  return scanFolder(root, skip).files;
}

function classifyFile(file: string, scan: FolderScan): void {
  const ext = path.extname(file).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) scan.files.push(file);
  else if (UNSUPPORTED_PHOTOS[ext]) scan.skipped.push({ file, reason: `unsupported format: ${UNSUPPORTED_PHOTOS[ext]} (${ext})` });
}

function followLink(link: string, realTop: string, scan: FolderScan): void {
  const target = realPath(link);
  if (!target) return void scan.skipped.push({ file: link, reason: "symlink to nothing (broken): skipped" });
  const inside = target === realTop || target.startsWith(realTop + path.sep);
  let stat: fs.Stats;
  try {
    // turbopackIgnore: a path known only at run time; without it output tracing copies the whole
    // project into the standalone server (the build warns "Dynamic filesystem access").
    stat = fs.statSync(/* turbopackIgnore: true */ target);
  } catch (error) {
    return void scan.skipped.push({ file: link, reason: `symlink target not readable (${errorCode(error)}): skipped` });
  }
  if (stat.isDirectory()) return void scan.skipped.push({ file: link, reason: "symlink to a folder: not followed" });
  if (!stat.isFile()) return void scan.skipped.push({ file: link, reason: "symlink to a special file: never opened" });
  if (!inside) return void scan.skipped.push({ file: link, reason: "symlink to a file outside the folder: not followed" });
  classifyFile(link, scan);
}

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(/* turbopackIgnore: true */ file);
  } catch {
    return undefined;
  }
}

function specialKind(entry: fs.Dirent): string {
  if (entry.isFIFO()) return "a FIFO";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "a device";
  return "not a regular file";
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
}

/** The folder a photo is filed under: the root's own name, then the directories below it. */
export function folderOf(root: string, relativePath: string): string {
  const dir = path.posix.dirname(relativePath);
  const base = path.basename(path.resolve(root));
  return dir === "." ? base : `${base}/${dir}`;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
