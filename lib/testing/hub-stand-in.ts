/**
 * A stand-in for the Hugging Face hub, for tests only (the hub cannot be reached from the build
 * machines). It serves a folder of models (`<folder>/<model id>/…`, the layout MODEL_DIR uses) on
 * loopback, speaking the hub's wire format as transformers.js meets it:
 *
 * - `GET|HEAD /<model id>/resolve/<revision>/<path>`; regular files answer 200 with Content-Length,
 *   the git blob's ETag and X-Repo-Commit; LFS files (weights) answer 302 to a second, CDN-like
 *   origin, with X-Linked-Size and X-Linked-Etag (the file's SHA-256), as the hub redirects to its
 *   CDN; the CDN answers 200 with Content-Length and streams the body in chunks.
 * - `Range: bytes=a-b` → 206 with Content-Range (transformers.js reads sizes this way).
 * - A missing file → 404 with `X-Error-Code: EntryNotFound`; a missing repository → 401 with
 *   `X-Error-Code: RepoNotFound`, as the hub answers for both private and absent repositories.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const LFS = /\.(onnx|onnx_data|bin|safetensors|msgpack|h5)$/;
const COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const CHUNK = 64 * 1024;

export interface HubStandIn {
  /** For HF_ENDPOINT. */
  url: string;
  /** Every request path, in order (hub and CDN). */
  requests: string[];
  close(): Promise<void>;
}

export async function startHubStandIn(folder: string): Promise<HubStandIn> {
  const requests: string[] = [];
  const cdn = await listen((request, response) => {
    requests.push(`cdn ${request.method} ${request.url}`);
    const file = cdnFiles.get(new URL(request.url ?? "/", "http://cdn").pathname.split("/").at(-1) ?? "");
    if (!file) return notFound(response, "EntryNotFound", "Entry not found");
    serveFile(request, response, file, {
      "content-type": "binary/octet-stream",
      etag: `"${sha256(file)}"`,
      "cache-control": "public, max-age=604800, immutable",
    });
  });
  const cdnFiles = new Map<string, string>();
  const hub = await listen((request, response) => {
    requests.push(`hub ${request.method} ${request.url}`);
    const match = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(new URL(request.url ?? "/", "http://hub").pathname));
    if (!match) return notFound(response, "EntryNotFound", "Not Found");
    const [, model = "", , file = ""] = match;
    const repo = path.join(folder, model);
    if (!model.includes("/") || !fs.existsSync(repo) || model.split("/").includes("..")) {
      return notFound(response, "RepoNotFound", "Invalid username or password.", 401);
    }
    const full = path.join(repo, file);
    if (!full.startsWith(repo + path.sep) || !fs.existsSync(full) || !fs.statSync(full).isFile()) {
      return notFound(response, "EntryNotFound", "Entry not found");
    }
    const common = {
      "x-repo-commit": COMMIT,
      "access-control-expose-headers": "X-Repo-Commit,X-Linked-Size,X-Linked-Etag,ETag,Content-Range",
    };
    if (LFS.test(file)) {
      const digest = sha256(full);
      cdnFiles.set(digest, full);
      response.writeHead(302, {
        ...common,
        location: `${cdn.url}/repos/${digest.slice(0, 2)}/${digest}?response-content-disposition=${encodeURIComponent(`inline; filename="${path.basename(file)}"`)}`,
        "x-linked-size": String(fs.statSync(full).size),
        "x-linked-etag": `"${digest}"`,
        etag: `"${digest}"`,
        "content-type": "text/plain; charset=utf-8",
      });
      response.end(`Found. Redirecting to ${cdn.url}`);
      return;
    }
    serveFile(request, response, full, { ...common, "content-type": contentType(file), etag: `"${gitBlobSha1(full)}"` });
  });
  return {
    url: hub.url,
    requests,
    close: async () => {
      await Promise.all([hub.close(), cdn.close()]);
    },
  };
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveFile(request: http.IncomingMessage, response: http.ServerResponse, file: string, headers: Record<string, string>): void {
  const size = fs.statSync(file).size;
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (range) {
    start = range[1] ? Number(range[1]) : Math.max(size - Number(range[2]), 0);
    end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      response.writeHead(416, { "content-range": `bytes */${size}` });
      response.end();
      return;
    }
    status = 206;
    headers = { ...headers, "content-range": `bytes ${start}-${end}/${size}` };
  }
  response.writeHead(status, { ...headers, "accept-ranges": "bytes", "content-length": String(end - start + 1) });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  // In chunks, as a network delivers a large file: the client sees its progress grow.
  const stream = fs.createReadStream(file, { start, end, highWaterMark: CHUNK });
  stream.pipe(response);
}

function notFound(response: http.ServerResponse, code: string, message: string, status = 404): void {
  response.writeHead(status, { "x-error-code": code, "x-error-message": message, "content-type": "text/plain; charset=utf-8" });
  response.end(message);
}

function contentType(file: string): string {
  if (file.endsWith(".json")) return "application/json; charset=utf-8";
  if (file.endsWith(".txt") || file.endsWith(".md")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The ETag the hub sends for a regular (non-LFS) file: its git blob id. */
function gitBlobSha1(file: string): string {
  const bytes = fs.readFileSync(file);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
