/**
 * Copies onnxruntime-web's WASM runtime into public/ort/<its version>/ so the browser embedder loads
 * it from this app, not from a CDN (which may be unreachable, and would need a wider content security
 * policy). The version in the path lets the files be cached immutably (next.config.js); the browser
 * config names the same folder (ORT_ASSETS, set by next.config.js). Runs before `next dev` and `next build`.
 */
import fs from "node:fs";
import path from "node:path";

const source = path.join("node_modules", "onnxruntime-web", "dist");
const { version } = JSON.parse(fs.readFileSync(path.join("node_modules", "onnxruntime-web", "package.json"), "utf8")) as {
  version: string;
};
const target = path.join("public", "ort", version);
// transformers.js pairs its onnxruntime-web build with the asyncify runtime (WASM + WebGPU).
const FILES = ["ort-wasm-simd-threaded.asyncify.mjs", "ort-wasm-simd-threaded.asyncify.wasm"];

fs.mkdirSync(target, { recursive: true });
for (const file of FILES) {
  const from = path.join(source, file);
  const to = path.join(target, file);
  if (fs.existsSync(to) && fs.statSync(to).size === fs.statSync(from).size) continue;
  fs.copyFileSync(from, to);
}
console.log(`onnxruntime-web runtime in ${target}`);
