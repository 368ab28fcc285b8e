/** Multipart bodies: bounded while they stream (lib/http/body), one error shape when malformed. */
import { AppError, badRequest } from "@/lib/errors";
import { limitedRequest, tooLarge } from "./body";

export function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/** The form, read while counting bytes: a body past `maxBytes` (MAX_UPLOAD_BYTES) stops at the limit with 413. */
export async function readForm(request: Request, maxBytes: number): Promise<FormData> {
  const bounded = limitedRequest(request, maxBytes, "MAX_UPLOAD_BYTES");
  try {
    return await bounded.formData();
  } catch (error) {
    const cause = error instanceof AppError ? error : (error as Error | undefined)?.cause;
    if (cause instanceof AppError) throw cause;
    throw badRequest("the request body is not valid multipart/form-data");
  }
}

/** The named file field as bytes, or undefined when absent. */
export async function formFile(form: FormData, name: string, maxBytes: number): Promise<{ bytes: Buffer; name: string } | undefined> {
  const value = form.get(name);
  if (value === null) return undefined;
  if (typeof value === "string") throw badRequest(`${name} must be a file`);
  if (value.size > maxBytes) throw tooLarge(maxBytes, "MAX_UPLOAD_BYTES");
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
