/**
 * Access control and bounded requests through the real route handlers and the real Auth.js
 * (sign-in with the admin account's form, its CSRF token and its session cookie), on the embedded
 * store with the test model.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resetConfig } from "@/lib/config";
import { appContext, closeAppContext } from "@/lib/context";
import { findImages } from "@/lib/ingest/files";
import { contentId } from "@/lib/ingest/pipeline";
import { thumbnailPath } from "@/lib/ingest/thumbnails";
import { PEER_HEADER } from "@/lib/http/client-address";
import { installServerGuard } from "@/lib/http/server-guard";
import { COCO, TEST_MODEL_ENV, tempDir } from "@/lib/testing";
import { GET as authGet, POST as authPost } from "./auth/[...nextauth]/route";
import { DELETE as remove, GET as photoMeta } from "./photos/[id]/route";
import { POST as upload } from "./photos/route";
import { GET as duplicatesGet } from "./duplicates/route";
import { POST as duplicatesRemove } from "./duplicates/remove/route";
import { GET as searchGet } from "./search/route";

const ORIGIN = "http://photos.test";
const TOKEN = "ci-token-0123456789abcdef0123456789abcdef";
const PASSWORD = "correct horse battery";
const MAX_UPLOAD = 2 * 1024 * 1024;
const files = findImages(path.join(COCO, "images")).slice(0, 6);
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function form(file: string, metadata?: unknown): FormData {
  const body = new FormData();
  body.append("file", new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
  if (metadata !== undefined) body.append("metadata", JSON.stringify(metadata));
  return body;
}

function request(url: string, init: RequestInit & { cookie?: string; token?: string; origin?: string } = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("host", new URL(ORIGIN).host);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.origin) headers.set("origin", init.origin);
  return new Request(new URL(url, ORIGIN), { ...init, headers, duplex: "half" } as RequestInit);
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!);

/** Auth.js's credentials flow, as the sign-in page's signIn("admin") performs it. */
async function signIn(password: string): Promise<{ cookie?: string; setCookie: string[] }> {
  const csrf = await authGet(request("/api/auth/csrf"));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf).join("; ");
  const response = await authPost(
    request("/api/auth/callback/admin", {
      method: "POST",
      cookie: jar,
      origin: ORIGIN,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, username: "admin", password }).toString(),
    }),
  );
  const setCookie = response.headers.getSetCookie();
  const session = cookiesOf(response).find((c) => c.startsWith("authjs.session-token="));
  return { cookie: session, setCookie };
}

describe("access control and bounded requests", () => {
  let dataDir: string;
  let session: string;

  before(async () => {
    dataDir = tempDir();
    Object.assign(process.env, TEST_MODEL_ENV, {
      DATA_DIR: dataDir,
      STORE: "embedded",
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      AUTH_SECRET: "s".repeat(40),
      ADMIN_PASSWORD: PASSWORD,
      API_TOKENS: `ci:${TOKEN}`,
      PUBLIC_READ: "true",
    });
    resetConfig();
    const { store, embedders, ingestor } = appContext();
    await store.ensureIndex(embedders.space);
    await ingestor.ingest(path.join(COCO, "images"), files.slice(0, 3));
  });

  after(async () => {
    await closeAppContext();
    for (const name of ["AUTH_SECRET", "ADMIN_PASSWORD", "API_TOKENS", "PUBLIC_READ"]) delete process.env[name];
    resetConfig();
  });

  it("signs the admin in with Auth.js: an HttpOnly, SameSite=Lax session cookie", async () => {
    const wrong = await signIn("wrong password!");
    assert.equal(wrong.cookie, undefined);
    const right = await signIn(PASSWORD);
    assert.ok(right.cookie, "a session cookie");
    session = right.cookie;
    const line = right.setCookie.find((c) => c.startsWith("authjs.session-token="))!;
    assert.match(line, /HttpOnly/i);
    assert.match(line, /SameSite=Lax/i);
    assert.match(line, /Path=\//);
  });

  it("refuses writes from signed-out users with 401, and reads stay public", async () => {
    const anonymous = await upload(request("/api/photos", { method: "POST", body: form(files[3]!), origin: ORIGIN }));
    assert.equal(anonymous.status, 401);
    assert.equal(await errorCode(anonymous), "unauthorized");
    const forged = await upload(request("/api/photos", { method: "POST", body: form(files[3]!), cookie: "authjs.session-token=forged" }));
    assert.equal(forged.status, 401);
    const id = contentId(fs.readFileSync(files[0]!));
    assert.equal((await remove(request(`/api/photos/${id}`, { method: "DELETE" }), params(id))).status, 401);
    assert.equal((await photoMeta(request(`/api/photos/${id}`), params(id))).status, 200);
    assert.equal((await searchGet(request("/api/search?q=dog"))).status, 200);
  });

  it("refuses a cross-origin form post even with a valid session (CSRF)", async () => {
    const response = await upload(
      request("/api/photos", { method: "POST", body: form(files[3]!), cookie: session, origin: "https://evil.example" }),
    );
    assert.equal(response.status, 403);
    assert.equal(await errorCode(response), "forbidden");
    const sibling = await upload(
      request("/api/photos", { method: "POST", body: form(files[3]!), cookie: session, headers: { "sec-fetch-site": "cross-site" } }),
    );
    assert.equal(sibling.status, 403);
  });

  it("lets a signed-in user upload and delete: record, thumbnail and uploaded file are gone", async () => {
    const created = await upload(request("/api/photos", { method: "POST", body: form(files[4]!), cookie: session, origin: ORIGIN }));
    assert.equal(created.status, 201);
    const id = contentId(fs.readFileSync(files[4]!));
    const uploaded = path.join(dataDir, "uploads", `${id}${path.extname(files[4]!).toLowerCase()}`);
    assert.ok(fs.existsSync(uploaded), "the upload is stored");
    assert.ok(fs.existsSync(thumbnailPath(dataDir, id)), "with its thumbnail");
    const deleted = await remove(request(`/api/photos/${id}`, { method: "DELETE", cookie: session, origin: ORIGIN }), params(id));
    assert.equal(deleted.status, 200);
    assert.deepEqual(await deleted.json(), { removed: [id] });
    assert.equal((await photoMeta(request(`/api/photos/${id}`), params(id))).status, 404);
    assert.ok(!fs.existsSync(uploaded), "the uploaded file is removed");
    assert.ok(!fs.existsSync(thumbnailPath(dataDir, id)), "the thumbnail is removed");
    const again = await remove(request(`/api/photos/${id}`, { method: "DELETE", cookie: session, origin: ORIGIN }), params(id));
    assert.equal(again.status, 404);
  });

  it("never deletes a photo's file in the user's own folder", async () => {
    const id = contentId(fs.readFileSync(files[0]!));
    const deleted = await remove(request(`/api/photos/${id}`, { method: "DELETE", token: TOKEN }), params(id));
    assert.equal(deleted.status, 200);
    assert.ok(fs.existsSync(files[0]!), "the user's file stays");
  });

  it("takes API tokens from scripts (no Origin header) and refuses a wrong one", async () => {
    const created = await upload(request("/api/photos", { method: "POST", body: form(files[5]!), token: TOKEN }));
    assert.equal(created.status, 201);
    const wrong = await upload(request("/api/photos", { method: "POST", body: form(files[5]!), token: TOKEN.replace("c", "d") }));
    assert.equal(wrong.status, 401);
  });

  it("validates upload metadata by schema: 400 naming the field, never a 500", async () => {
    const response = await upload(request("/api/photos", { method: "POST", body: form(files[5]!, { tags: [{ a: 1 }] }), token: TOKEN }));
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "invalid_metadata");
    assert.match(body.error.message, /metadata\.tags\.0/);
  });

  it("stops a chunked upload at MAX_UPLOAD_BYTES while it streams, without reading the rest", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 100 * MAX_UPLOAD) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await upload(
      request("/api/photos", {
        method: "POST",
        token: TOKEN,
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: endless,
      }),
    );
    assert.equal(response.status, 413);
    assert.equal(await errorCode(response), "too_large");
    assert.ok(pulled <= MAX_UPLOAD + 4 * chunk.byteLength, `read ${pulled} bytes of an endless body`);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const response = await upload(
      request("/api/photos", {
        method: "POST",
        token: TOKEN,
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(MAX_UPLOAD + 1) },
        body: "--x--",
      }),
    );
    assert.equal(response.status, 413);
  });

  it("makes reads private when PUBLIC_READ=false", async () => {
    process.env.PUBLIC_READ = "false";
    resetConfig();
    try {
      const anonymous = await searchGet(request("/api/search?q=dog"));
      assert.equal(anonymous.status, 401);
      assert.equal((await searchGet(request("/api/search?q=dog", { cookie: session }))).status, 200);
      assert.equal((await searchGet(request("/api/search?q=dog", { token: TOKEN }))).status, 200);
    } finally {
      process.env.PUBLIC_READ = "true";
      resetConfig();
    }
  });

  it("lists duplicates for readers and removes them only for writers: index only, files untouched", async () => {
    // 202 while the neighbour graph is being built (over 2 s only on a very busy machine): ask again, as the page does.
    let listed = await duplicatesGet(request("/api/duplicates?near=0.9&seconds=60"));
    while (listed.status === 202) listed = await duplicatesGet(request("/api/duplicates?near=0.9&seconds=60"));
    assert.equal(listed.status, 200);
    const view = (await listed.json()) as { groups: unknown[]; byClass: object; options: { nearCosine: number } };
    assert.ok(Array.isArray(view.groups));
    assert.equal(view.options.nearCosine, 0.9);
    const bad = await duplicatesGet(request("/api/duplicates?near=2"));
    assert.equal(bad.status, 400);
    assert.equal(await errorCode(bad), "bad_request");

    const created = await upload(request("/api/photos", { method: "POST", body: form(files[3]!), token: TOKEN }));
    assert.equal(created.status, 201);
    const id = contentId(fs.readFileSync(files[3]!));
    const uploaded = path.join(dataDir, "uploads", `${id}${path.extname(files[3]!).toLowerCase()}`);
    const body = JSON.stringify({ ids: [id] });
    const anonymous = await duplicatesRemove(request("/api/duplicates/remove", { method: "POST", body, origin: ORIGIN }));
    assert.equal(anonymous.status, 401);
    const crossSite = await duplicatesRemove(
      request("/api/duplicates/remove", { method: "POST", body, cookie: session, origin: "https://evil.example" }),
    );
    assert.equal(crossSite.status, 403);
    const malformed = await duplicatesRemove(request("/api/duplicates/remove", { method: "POST", body: '{"ids":"x"}', token: TOKEN }));
    assert.equal(await errorCode(malformed), "bad_request");
    const removed = await duplicatesRemove(request("/api/duplicates/remove", { method: "POST", body, cookie: session, origin: ORIGIN }));
    assert.equal(removed.status, 200);
    assert.deepEqual(await removed.json(), { removed: [id], notFound: [] });
    assert.equal((await photoMeta(request(`/api/photos/${id}`), params(id))).status, 404);
    assert.ok(fs.existsSync(uploaded), "the file stays, even an upload's");
  });
});

describe("requests the framework cannot handle", () => {
  it("answers TRACE and malformed percent-encoding in the error shape, before Next", async () => {
    installServerGuard();
    const server = http.createServer((_req, res) => res.end("reached the app"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const send = (method: string, pathname: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ port, host: "127.0.0.1", method, path: pathname }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const trace = await send("TRACE", "/api/search");
      assert.equal(trace.status, 405);
      assert.equal(JSON.parse(trace.body).error.code, "method_not_allowed");
      const encoded = await send("GET", "/api/photos/%ff%fe");
      assert.equal(encoded.status, 400);
      assert.equal(JSON.parse(encoded.body).error.code, "bad_request");
      assert.equal((await send("GET", "/api/photos/%e9%9b%aa")).body, "reached the app");
    } finally {
      server.close();
    }
  });
});

describe("the home page's server-rendered search", () => {
  it("spends from the same bucket as /api/search, and over the limit answers a 429 page in the visitor's language", async () => {
    process.env.SEARCHES_PER_MINUTE = "3";
    resetConfig();
    installServerGuard();
    const server = http.createServer((_req, res) => res.end("rendered"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const get = (pathname: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
        const req = http.request({ port, host: "127.0.0.1", path: pathname, headers }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body, type: res.headers["content-type"] }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      assert.equal((await get("/?q=dog")).body, "rendered");
      assert.equal((await get("/signin")).body, "rendered", "only the home page searches");
      assert.equal((await get("/")).body, "rendered");
      // The third search of the minute goes through the API, from the same address.
      const api = await searchGet(request("/api/search?q=cat", { headers: { [PEER_HEADER]: "127.0.0.1" } }));
      assert.equal(api.status, 200);
      const english = await get("/?q=dog", { "accept-language": "en-US,en;q=0.9" });
      assert.equal(english.status, 429);
      assert.match(english.type ?? "", /text\/html/);
      assert.match(english.body, /Too many requests; wait a moment and try again\./);
      const chinese = await get("/?q=%E7%8B%97", { cookie: "lang=zh" });
      assert.equal(chinese.status, 429);
      assert.match(chinese.body, /<html lang="zh">/);
      assert.match(chinese.body, /请求过于频繁，请稍后再试。/);
      const apiAfter = await searchGet(request("/api/search?q=cat", { headers: { [PEER_HEADER]: "127.0.0.1" } }));
      assert.equal(apiAfter.status, 429);
      assert.equal(await errorCode(apiAfter), "rate_limited");
    } finally {
      server.close();
      delete process.env.SEARCHES_PER_MINUTE;
      resetConfig();
    }
  });
});
