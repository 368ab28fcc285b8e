/** The upload request (the route has checked who may and the rate limit): form, file name and metadata checks; addUpload does the rest. */
import path from "node:path";
import { appContext } from "@/lib/context";
import { badRequest } from "@/lib/errors";
import { formFile, formJson, readForm } from "@/lib/http/multipart";
import { photoView } from "@/lib/search/view";
import { addUpload } from "./add-upload";
import { isImageFile } from "./files";
import { parseUploadMetadata } from "./metadata-schema";

/** A file name safe on every file system, keeping the extension. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, "/")).normalize("NFC");
  const cleaned = base
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, "_")
    .replace(/^\.+/, "")
    .slice(-120);
  return cleaned || "photo";
}

export async function uploadFromRequest(request: Request) {
  const { cfg } = appContext();
  const form = await readForm(request, cfg.limits.maxUploadBytes);
  const file = await formFile(form, "file", cfg.limits.maxUploadBytes);
  if (!file) throw badRequest("upload needs a file field named file");
  const name = safeFileName(file.name);
  if (!isImageFile(name)) throw badRequest(`${name}: only JPEG, PNG, WebP, GIF, AVIF, TIFF and HEIC photos can be uploaded`);
  const metadata = parseUploadMetadata(formJson(form, "metadata"));
  const { outcome, photo } = await addUpload(appContext(), { name, bytes: file.bytes, metadata });
  return { outcome, photo: photo && photoView(photo) };
}
