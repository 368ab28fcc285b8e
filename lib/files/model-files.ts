/**
 * Serves model files from MODEL_DIR to the browser embedder when models are local (no hub). Only
 * the files transformers.js asks for, and only from inside that folder.
 */
import fs from "node:fs";
import path from "node:path";
import { appContext } from "@/lib/context";
import { notFound } from "@/lib/errors";

const SERVED = /\.(json|onnx|txt)$/;

export async function modelFile(parts: string[]): Promise<Response> {
  const root = appContext().cfg.models.localDir;
  const missing = notFound("no such model file");
  if (!root || parts.some((p) => p === ".." || p.includes("\0") || p.includes("/"))) throw missing;
  const file = path.resolve(root, ...parts);
  if (!SERVED.test(file)) throw missing;
  const real = await fs.promises.realpath(file).catch(() => undefined);
  const realRoot = await fs.promises.realpath(root);
  if (!real || !real.startsWith(realRoot + path.sep)) throw missing;
  const data = await fs.promises.readFile(real);
  return new Response(new Uint8Array(data), {
    headers: {
      "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream",
      "cache-control": "public, max-age=3600",
    },
  });
}
