import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { browserUrl } from ".";
import { oidcUserAllowed } from "./allowed";
import { checkAdmin, tokenOwner } from "./credentials";
import { checkSameOrigin } from "./origin";

const SECRET = "x".repeat(32);
const TOKEN = "t".repeat(40);

function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail("expected a ConfigError");
}

describe("access decision (config)", () => {
  it("is open in development when nothing is set", () => {
    assert.deepEqual(parseConfig({}).auth, { enabled: false, publicRead: true, apiTokens: [] });
  });

  it("refuses production without a decision, naming AUTH_SECRET and the alternatives", () => {
    const error = configError({ NODE_ENV: "production" });
    assert.equal(error.variable, "AUTH_SECRET");
    assert.match(error.message, /PUBLIC_READ=true/);
    assert.match(error.message, /AUTH=off/);
  });

  it("accepts each spelled-out decision in production", () => {
    assert.equal(parseConfig({ NODE_ENV: "production", AUTH: "off" }).auth.enabled, false);
    const readOnly = parseConfig({ NODE_ENV: "production", PUBLIC_READ: "true" }).auth;
    assert.deepEqual([readOnly.enabled, readOnly.publicRead], [true, true]);
    const signIn = parseConfig({ NODE_ENV: "production", AUTH_SECRET: SECRET, ADMIN_PASSWORD: "correct horse battery" }).auth;
    assert.deepEqual([signIn.enabled, signIn.publicRead, signIn.admin?.user], [true, false, "admin"]);
  });

  it("names the variable of each inconsistent setting", () => {
    assert.equal(configError({ ADMIN_PASSWORD: "correct horse battery" }).variable, "AUTH_SECRET");
    assert.equal(configError({ AUTH_SECRET: "short" }).variable, "AUTH_SECRET");
    assert.equal(configError({ AUTH_SECRET: SECRET, ADMIN_PASSWORD: "short" }).variable, "ADMIN_PASSWORD");
    assert.equal(configError({ AUTH_SECRET: SECRET, OIDC_ISSUER: "https://login.example.com" }).variable, "OIDC_CLIENT_ID");
    assert.equal(configError({ API_TOKENS: "ci:tooshort" }).variable, "API_TOKENS");
    assert.equal(configError({ PUBLIC_READ: "yes" }).variable, "PUBLIC_READ");
    assert.equal(configError({ TRUST_PROXY: "-1" }).variable, "TRUST_PROXY");
    assert.equal(configError({ PUBLIC_READ: "false" }).variable, "AUTH_SECRET");
  });

  it("reads API tokens as name:token pairs", () => {
    const auth = parseConfig({ API_TOKENS: `ci:${TOKEN}, backup:${"b".repeat(32)}`, PUBLIC_READ: "true" }).auth;
    assert.deepEqual(
      auth.apiTokens.map((t) => t.name),
      ["ci", "backup"],
    );
  });
});

describe("credentials", () => {
  const auth = parseConfig({ AUTH_SECRET: SECRET, ADMIN_PASSWORD: "correct horse battery", API_TOKENS: `ci:${TOKEN}` }).auth;

  it("accepts the admin's user and password and nothing else", () => {
    assert.equal(checkAdmin(auth, "admin", "correct horse battery"), true);
    assert.equal(checkAdmin(auth, "admin", "correct horse batter"), false);
    assert.equal(checkAdmin(auth, "root", "correct horse battery"), false);
    assert.equal(checkAdmin(auth, { toString: () => "admin" }, ["correct horse battery"]), false);
  });

  it("knows API tokens by their Bearer header", () => {
    assert.equal(tokenOwner(auth, `Bearer ${TOKEN}`), "ci");
    assert.equal(tokenOwner(auth, `bearer ${TOKEN}`), "ci");
    assert.equal(tokenOwner(auth, `Bearer ${TOKEN}x`), undefined);
    assert.equal(tokenOwner(auth, `Basic ${TOKEN}`), undefined);
    assert.equal(tokenOwner(auth, null), undefined);
  });
});

describe("same-origin check", () => {
  const check = (headers: Record<string, string>, trustProxy = 0) =>
    checkSameOrigin(new Headers({ host: "photos.example.com", ...headers }), trustProxy);
  const refused = (error: AppError) => error.code === "forbidden" && error.status === 403;

  it("lets same-origin browser requests and non-browser clients through", () => {
    check({ origin: "https://photos.example.com", "sec-fetch-site": "same-origin" });
    check({});
  });

  it("refuses another origin, a sibling site, and opaque origins", () => {
    assert.throws(() => check({ origin: "https://evil.example" }), refused);
    assert.throws(() => check({ origin: "https://photos.example.com", "sec-fetch-site": "cross-site" }), refused);
    assert.throws(() => check({ "sec-fetch-site": "same-site" }), refused);
    assert.throws(() => check({ origin: "null" }), refused);
    assert.throws(() => check({ origin: "https://photos.example.com.evil.example" }), refused);
  });

  it("believes X-Forwarded-Host only behind a trusted proxy", () => {
    const headers = { origin: "https://public.example.com", "x-forwarded-host": "public.example.com" };
    assert.throws(() => check(headers), refused);
    check(headers, 1);
  });
});

describe("who may sign in through OIDC", () => {
  it("parses OIDC_ALLOWED_USERS as addresses and @domains, and names the variable when malformed", () => {
    const oidc = { OIDC_ISSUER: "https://login.team.example", OIDC_CLIENT_ID: "photos", OIDC_CLIENT_SECRET: "s", AUTH_SECRET: SECRET };
    assert.equal(parseConfig(oidc).auth.oidc?.allowedUsers, undefined);
    const allowed = parseConfig({ ...oidc, OIDC_ALLOWED_USERS: " Ana@Team.example, @photos.example " }).auth.oidc?.allowedUsers;
    assert.deepEqual(allowed, ["ana@team.example", "@photos.example"]);
    assert.equal(configError({ ...oidc, OIDC_ALLOWED_USERS: "ana, @team.example" }).variable, "OIDC_ALLOWED_USERS");
  });

  it("lets in listed addresses and domains only, never an address marked unverified", () => {
    const allowed = ["ana@team.example", "@photos.example"];
    assert.equal(oidcUserAllowed(undefined, {}), true, "no list: the provider decides");
    assert.equal(oidcUserAllowed(allowed, { email: "ANA@team.example", email_verified: true }), true);
    assert.equal(oidcUserAllowed(allowed, { email: "bo@photos.example" }), true);
    assert.equal(oidcUserAllowed(allowed, { email: "bo@team.example" }), false);
    assert.equal(oidcUserAllowed(allowed, { email: "x@evil.example", email_verified: true }), false);
    assert.equal(oidcUserAllowed(allowed, { email: "ana@team.example", email_verified: false }), false);
    assert.equal(oidcUserAllowed(allowed, { email: "bo@sub.photos.example" }), false, "a domain is exact");
    assert.equal(oidcUserAllowed(allowed, {}), false, "no address");
  });
});

describe("the URL Auth.js sees (its OIDC redirect_uri)", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost:5001/api/auth/signin/oidc?x=1", { headers });
  it("is the one the browser addressed, not Next's own localhost", () => {
    assert.equal(browserUrl(request({ host: "127.0.0.1:5560" }), 0), "http://127.0.0.1:5560/api/auth/signin/oidc?x=1");
  });
  it("believes X-Forwarded-Host and -Proto only behind TRUST_PROXY proxies", () => {
    const proxied = request({ host: "10.0.0.5:5001", "x-forwarded-host": "photos.example.com", "x-forwarded-proto": "https" });
    assert.equal(browserUrl(proxied, 1), "https://photos.example.com/api/auth/signin/oidc?x=1");
    assert.equal(browserUrl(proxied, 0), "http://10.0.0.5:5001/api/auth/signin/oidc?x=1");
  });
});
