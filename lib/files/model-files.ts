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
  // The ETag lets a reload revalidate cheaply. (Next 16 drops a route handler's Content-Length and streams.)
  const { mtimeMs } = await fs.promises.stat(real);
  const etag = `"${data.length.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers = {
    "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream",
    "cache-control": "public, max-age=3600",
    etag,
  };
  if (request?.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(data), { headers });
}
