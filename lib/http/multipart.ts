/** Multipart uploads: size-checked before and after reading, one error shape when malformed. */
import { AppError, badRequest } from "@/lib/errors";

export function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

export async function readForm(request: Request, maxBytes: number): Promise<FormData> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  try {
    return await request.formData();
  } catch {
    throw badRequest("the request body is not valid multipart/form-data");
  }
}

/** The named file field as bytes, or undefined when absent. */
export async function formFile(form: FormData, name: string, maxBytes: number): Promise<{ bytes: Buffer; name: string } | undefined> {
  const value = form.get(name);
  if (value === null) return undefined;
  if (typeof value === "string") throw badRequest(`${name} must be a file`);
  if (value.size > maxBytes) throw tooLarge(maxBytes);
  return { bytes: Buffer.from(await value.arrayBuffer()), name: value.name || "upload" };
}

/** A JSON-valued text field (for example the search options sent beside an image). */
export function formJson(form: FormData, name: string): unknown {
  const value = form.get(name);
  if (value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${name} must be a JSON text field`);
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`${name} must be valid JSON`);
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("too_large", `the upload is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (MAX_UPLOAD_BYTES)`);
}
