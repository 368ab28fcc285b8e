/**
 * Every API route answers every method: the ones it implements, and for the rest a 405 in the one
 * error shape with an Allow header listing what it does implement (not Next's empty 405). Routes
 * are found on disk, so a new route without the refusals fails here.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { allowHeader, REFUSES_METHOD, ROUTE_METHODS, type RouteMethod } from "@/lib/http/methods";

const API = import.meta.dirname;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

type Route = Record<string, unknown>;

describe("methods a route does not implement", () => {
  const files = routeFiles(API);

  it("finds the routes", () => assert.ok(files.length >= 8, `${files.length} routes`));

  for (const file of files) {
    const name = "/api/" + path.relative(API, path.dirname(file)).split(path.sep).join("/");
    it(`${name} answers them with 405, the error shape and Allow`, async () => {
      const route = (await import(file)) as Route;
      const implemented = ROUTE_METHODS.filter((method) => {
        const exported = route[method] as { [REFUSES_METHOD]?: true } | undefined;
        assert.equal(typeof exported, "function", `${name} exports no ${method} (use otherMethods)`);
        return !exported![REFUSES_METHOD];
      });
      assert.ok(implemented.length > 0);
      const allow = allowHeader(implemented);
      for (const method of ROUTE_METHODS.filter((m) => !implemented.includes(m))) {
        const handle = route[method] as (request: Request) => Promise<Response>;
        const response = await handle(new Request(`http://photos.test${name}`, { method, body: method === "GET" ? undefined : "{}" }));
        assert.equal(response.status, 405, `${method} ${name}`);
        assert.equal(response.headers.get("allow"), allow);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, "method_not_allowed");
        assert.match(body.error.message, new RegExp(`^${method} is not supported here`));
      }
      const options = await (route.OPTIONS as () => Promise<Response>)();
      assert.equal(options.status, 204);
      assert.equal(options.headers.get("allow"), allow);
    });
  }

  it("lists HEAD with GET, and OPTIONS always", () => {
    assert.equal(allowHeader(["DELETE", "GET"] as RouteMethod[]), "GET, HEAD, DELETE, OPTIONS");
    assert.equal(allowHeader(["POST"]), "POST, OPTIONS");
  });
});
