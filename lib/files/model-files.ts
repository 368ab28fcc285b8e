/**
 * Serves model files from MODEL_DIR to the browser embedder when models are local (no hub). Only
 * the files transformers.js asks for, and only from inside that folder.
 */
import fs from "node:fs";
import path from "node:path";
import { appContext } from "@/lib/context";
import { notFound } from "@/lib/errors";

const SERVED = /\.(json|onnx|txt)$/;

export async function modelFile(parts: string[], request?: Request): Promise<Response> {
  const root = appContext().cfg.models.localDir;
  const missing = notFound("no such model file");
  if (!root || parts.some((p) => p === ".." || p.includes("\0") || p.includes("/"))) throw missing;
  const file = path.resolve(root, ...parts);
  if (!SERVED.test(file)) throw missing;
  const real = await fs.promises.realpath(file).catch(() => undefined);
  const realRoot = await fs.promises.realpath(root);
  if (!real || !real.startsWith(realRoot + path.sep)) throw missing;
  const data = await fs.promises.readFile(real);
  // The ETag lets a reload revalidate cheaply.
  const { mtimeMs } = await fs.promises.stat(real);
  const etag = `"${data.length.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers = {
    "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream",
    "cache-control": "public, max-age=3600",
    "accept-ranges": "bytes",
    etag,
  };
  if (request?.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  // Next 16 drops a route handler's Content-Length and streams, so transformers.js learns a file's
  // size the way it does from the hub: a `Range: bytes=0-0` request answered with Content-Range.
  const range = byteRange(request?.headers.get("range"), data.length);
  if (range === "unsatisfiable")
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${data.length}` } });
  if (range) {
    const [start, end] = range;
    const partial = { ...headers, "content-range": `bytes ${start}-${end}/${data.length}` };
    return new Response(new Uint8Array(data.subarray(start, end + 1)), { status: 206, headers: partial });
  }
  return new Response(new Uint8Array(data), { headers });
}

/** One `bytes=start-end` (or `start-`, or `-suffix`) range of a file of `size` bytes; anything else is the whole file. */
export function byteRange(header: string | null | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (!match[1] && !match[2])) return undefined;
  const [first, last] = [match[1] ?? "", match[2] ?? ""];
  const start = first ? Number(first) : Math.max(0, size - Number(last));
  const end = first && last ? Math.min(Number(last), size - 1) : size - 1;
  return start > end || start >= size ? "unsatisfiable" : [start, end];
}
