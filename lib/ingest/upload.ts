/**
 * Uploads land in DATA_DIR/uploads and go through the same pipeline as a folder ingest. A file that
 * cannot be indexed is removed again, so a failed upload leaves nothing behind.
 */
import fs from "node:fs";
import path from "node:path";
import { appContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { formFile, formJson, readForm } from "@/lib/http/multipart";
import { clientKey, RateLimiter } from "@/lib/http/rate-limit";
import { photoView } from "@/lib/search/view";
import { isImageFile } from "./files";
import { contentId } from "./pipeline";

/** A file name safe on every file system, keeping the extension. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, "/")).normalize("NFC");
  const cleaned = base
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, "_")
    .replace(/^\.+/, "")
    .slice(-120);
  return cleaned || "photo";
}

const limiters = new Map<number, RateLimiter>();

export async function uploadFromRequest(request: Request) {
  const { cfg, ingestor, store } = appContext();
  const perMinute = cfg.limits.uploadsPerMinute;
  if (!limiters.has(perMinute)) limiters.set(perMinute, new RateLimiter(perMinute));
  limiters.get(perMinute)!.take(clientKey(request));
  const form = await readForm(request, cfg.limits.maxUploadBytes);
  const file = await formFile(form, "file", cfg.limits.maxUploadBytes);
  if (!file) throw badRequest("upload needs a file field named file");
  const name = safeFileName(file.name);
  if (!isImageFile(name)) throw badRequest(`${name}: only JPEG, PNG, WebP, GIF, AVIF and TIFF photos can be uploaded`);
  const text = (formJson(form, "metadata") ?? undefined) as { caption?: string; tags?: string[] } | undefined;

  const root = path.join(cfg.dataDir, "uploads");
  const id = contentId(file.bytes);
  let target = path.join(root, name);
  if (fs.existsSync(target) && contentId(fs.readFileSync(target)) !== id) {
    const ext = path.extname(name);
    target = path.join(root, `${path.basename(name, ext)}-${id.slice(0, 8)}${ext}`);
  }
  const existed = fs.existsSync(target);
  fs.mkdirSync(root, { recursive: true });
  if (!existed) fs.writeFileSync(target, file.bytes);
  try {
    const result = await ingestor.ingestOne(root, target, text && { caption: text.caption, tags: text.tags ?? [], extra: {} });
    const photo = await store.get(result.id!);
    return { outcome: result.outcome, photo: photo && photoView(photo) };
  } catch (error) {
    if (!existed) fs.rmSync(target, { force: true });
    throw error;
  }
}
