/**
 * Removing photos from the library: the store's records, their thumbnails, and the uploaded files
 * the app owns. Photos from a user's folder lose only their index entry; their files are never
 * touched. The store goes first, so a failure part-way leaves an orphaned file, never a photo whose
 * file is gone.
 */
import fs from "node:fs";
import type { Photo, PhotoStore } from "@/lib/store/types";
import { thumbnailFiles } from "./thumbnails";
import { ownedUploadFile } from "./upload-files";

export interface RemoveContext {
  store: PhotoStore;
  cfg: { dataDir: string };
}

export interface RemoveResult {
  /** The photos taken out of the library, as they were stored. */
  removed: Photo[];
  /** Ids that named no stored photo. */
  notFound: string[];
  /** Uploaded files deleted from DATA_DIR/uploads. */
  deletedFiles: string[];
}

/** `keepFiles`: leave even the app's own uploaded files in place (the duplicates review removes index entries only). */
export async function removePhotos(context: RemoveContext, ids: string[], options: { keepFiles?: boolean } = {}): Promise<RemoveResult> {
  const { store, cfg } = context;
  const unique = [...new Set(ids)];
  const photos = await Promise.all(unique.map((id) => store.get(id)));
  const removed = photos.filter((p): p is Photo => p !== undefined);
  const notFound = unique.filter((_, i) => photos[i] === undefined);
  if (removed.length === 0) return { removed, notFound, deletedFiles: [] };
  await store.delete(removed.map((p) => p.id));
  await store.refresh();
  const deletedFiles: string[] = [];
  for (const photo of removed) {
    removeThumbnail(cfg.dataDir, photo.id);
    const owned = options.keepFiles ? undefined : ownedUploadFile(cfg.dataDir, photo.root, photo.path);
    if (owned) {
      fs.rmSync(owned, { force: true });
      deletedFiles.push(owned);
    }
  }
  return { removed, notFound, deletedFiles };
}

function removeThumbnail(dataDir: string, id: string): void {
  try {
    for (const file of thumbnailFiles(dataDir, id)) fs.rmSync(file, { force: true });
  } catch {
    // Ids of other tools' indices are not hex and have no thumbnail here.
  }
}
