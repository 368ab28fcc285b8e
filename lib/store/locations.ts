/**
 * Which stored photos lie in a folder: the question a folder ingest asks to find photos whose files
 * are gone. A photo's file is `root` joined with its forward-slash `path`; the folder may be the root
 * it was ingested from, a folder above that root, or a folder inside it. Both stores narrow the
 * candidates with these pieces and confirm with `isInFolder`.
 */
import path from "node:path";

export interface PhotoLocation {
  root: string;
  path: string;
}

/** The absolute folder without a trailing separator, as ingest stores roots. */
export function normalizeFolder(dir: string): string {
  return path.resolve(dir);
}

/** Folders above `dir` that a photo's root could be, each with the path prefix of `dir` below it. */
export function ancestorsWithPrefix(dir: string): { root: string; prefix: string }[] {
  const folder = normalizeFolder(dir);
  const result: { root: string; prefix: string }[] = [];
  for (let parent = path.dirname(folder); result.length === 0 || result.at(-1)!.root !== parent; parent = path.dirname(parent)) {
    result.push({ root: parent, prefix: `${path.relative(parent, folder).split(path.sep).join("/")}/` });
  }
  return folder === path.dirname(folder) ? [] : result;
}

/** The prefix a root inside `dir` starts with. */
export function innerRootPrefix(dir: string): string {
  const folder = normalizeFolder(dir);
  return folder.endsWith(path.sep) ? folder : folder + path.sep;
}

export function isInFolder(dir: string, location: PhotoLocation): boolean {
  const folder = normalizeFolder(dir);
  const file = path.resolve(location.root, location.path);
  return file.startsWith(innerRootPrefix(folder)) && file !== folder;
}
