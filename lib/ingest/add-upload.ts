/**
 * An uploaded photo joins the library through the same pipeline as a folder ingest, stored once by
 * its content: DATA_DIR/uploads/<photo id><ext>. Uploading bytes the library already has writes no
 * file and only merges the given metadata into what is stored (nothing given: nothing changes). A
 * file written for an upload that cannot be indexed is removed again, so a failed upload leaves
 * nothing behind.
 */
import fs from "node:fs";
import path from "node:path";
import type { Photo, PhotoStore } from "@/lib/store/types";
import type { MetadataPatch } from "./metadata-schema";
import { contentId, type Ingestor, type Outcome } from "./pipeline";
import { uploadPath, uploadsDir, writeUpload } from "./upload-files";

export interface UploadContext {
  store: PhotoStore;
  ingestor: Ingestor;
  cfg: { dataDir: string };
}

export interface NewUpload {
  /** The uploaded file's name, already made safe (shown as the photo's name). */
  name: string;
  bytes: Buffer;
  metadata?: MetadataPatch;
}

export async function addUpload(context: UploadContext, upload: NewUpload): Promise<{ outcome: Outcome; photo?: Photo }> {
  const { store, ingestor, cfg } = context;
  const id = contentId(upload.bytes);
  const stored = (await store.locate([id])).get(id);
  if (stored && fs.existsSync(path.join(stored.root, stored.path))) {
    // A photo the library has: it keeps its place and name; only the metadata given is merged in.
    const outcome = await ingestor.updateText(id, upload.metadata ?? {});
    return { outcome, photo: await store.get(id) };
  }
  // New bytes, or a known photo whose file is gone (it moves to the upload).
  const target = uploadPath(cfg.dataDir, id, upload.name);
  const written = !fs.existsSync(target);
  if (written) writeUpload(target, upload.bytes);
  try {
    const result = await ingestor.ingestOne(uploadsDir(cfg.dataDir), target, upload.metadata, upload.name);
    return { outcome: result.outcome, photo: await store.get(id) };
  } catch (error) {
    if (written) fs.rmSync(target, { force: true });
    throw error;
  }
}
