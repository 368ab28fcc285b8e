/**
 * Request bodies read under a byte limit while they stream: a declared Content-Length over the limit
 * is refused before a byte is read, and a chunked body is cut off (and its stream cancelled) at the
 * first chunk past the limit, so a hostile client can never make the server hold more than `maxBytes`.
 */
import { AppError } from "@/lib/errors";

export function tooLarge(maxBytes: number, variable: string): AppError {
  return new AppError("too_large", `the request body is larger than ${formatBytes(maxBytes)} (${variable})`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Refuses early on the declared length; the streamed count below is what actually holds. */
function checkDeclaredLength(request: Request, maxBytes: number, variable: string): void {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, variable);
}

/** The body as a stream that errors with a too_large AppError once more than `maxBytes` have passed. */
export function limitedStream(request: Request, maxBytes: number, variable: string): ReadableStream<Uint8Array> | null {
  checkDeclaredLength(request, maxBytes, variable);
  if (!request.body) return null;
  const reader = request.body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > maxBytes) {
        controller.error(tooLarge(maxBytes, variable));
        await reader.cancel().catch(() => {});
        return;
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The whole body as bytes, at most `maxBytes`. */
export async function readBody(request: Request, maxBytes: number, variable: string): Promise<Buffer> {
  const stream = limitedStream(request, maxBytes, variable);
  if (!stream) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return Buffer.concat(chunks);
}

/** A copy of the request whose body is bounded while read, for parsers that read it themselves (formData). */
export function limitedRequest(request: Request, maxBytes: number, variable: string): Request {
  const body = limitedStream(request, maxBytes, variable);
  return new Request(request.url, { method: request.method, headers: request.headers, body, duplex: "half" } as RequestInit);
}
