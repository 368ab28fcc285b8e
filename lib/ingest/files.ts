/** Finds photo files under a folder. */
import fs from "node:fs";
import path from "node:path";

export const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"]);

export function isImageFile(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Absolute paths of image files below `root`, sorted, skipping hidden entries and `skip` folders. */
export function findImages(root: string, skip: string[] = []): string[] {
  const skipped = new Set(skip.map((p) => path.resolve(p)));
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !skipped.has(full)) walk(full);
      else if (entry.isFile() && isImageFile(entry.name)) found.push(full);
    }
  };
  walk(path.resolve(root));
  return found.sort();
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
