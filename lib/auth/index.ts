/**
 * Who may do what: the one entry point routes and pages call.
 * - Reads (gallery, search, photos, images) are open, or need a signed-in user when PUBLIC_READ=false.
 * - Every write (upload, metadata change, removal) needs a signed-in user (Auth.js session cookie)
 *   or an API token (`Authorization: Bearer`), and must come from this origin (CSRF).
 * - Rate limits are per user when signed in, else per client address (TRUST_PROXY-aware).
 * With auth disabled (development default, or AUTH=off) everyone is "anonymous" and may write.
 */
import { headers as requestHeaders } from "next/headers";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/http/body";
import { clientAddress } from "@/lib/http/client-address";
import { RateLimiter } from "@/lib/http/rate-limit";
import { ADMIN_PROVIDER, authJs, OIDC_PROVIDER } from "./authjs";
import { tokenOwner } from "./credentials";
import { checkSameOrigin } from "./origin";
import { sessionUser } from "./session";

export interface Viewer {
  name: string;
  via: "session" | "token" | "open";
}

/** What a page needs to know to show the right controls. */
export interface Access {
  viewer?: Viewer;
  authEnabled: boolean;
  canWrite: boolean;
  /** Reads are private and nobody is signed in: show the sign-in page instead. */
  signInRequired: boolean;
  providers: { admin: boolean; oidc?: string };
}

const OPEN: Viewer = { name: "anonymous", via: "open" };

/** The signed-in user or API token behind a request, if any. */
export async function viewerOf(headers: Headers, url: string): Promise<Viewer | undefined> {
  const { auth } = config();
  if (!auth.enabled) return OPEN;
  const token = tokenOwner(auth, headers.get("authorization"));
  if (token) return { name: token, via: "token" };
  const user = await sessionUser(auth, headers, url);
  return user ? { name: user, via: "session" } : undefined;
}

/** For reading routes: anyone when reads are public, else a signed-in user or token (401). */
export async function requireReader(request: Request): Promise<Viewer | undefined> {
  const { auth } = config();
  const viewer = await viewerOf(request.headers, request.url);
  if (auth.enabled && !auth.publicRead && !viewer) throw new AppError("unauthorized", "sign in to see this library");
  return viewer;
}

/** For every state-changing route: same origin, then a signed-in user or API token (401). */
export async function requireWriter(request: Request): Promise<Viewer> {
  checkSameOrigin(request.headers, config().trustProxy);
  const viewer = await viewerOf(request.headers, request.url);
  if (!viewer) throw new AppError("unauthorized", "sign in (or send an API token) to change the library");
  return viewer;
}

/** For server-rendered pages, from the incoming request's headers. */
export async function pageAccess(): Promise<Access> {
  const { auth } = config();
  const headers = await requestHeaders();
  const viewer = await viewerOf(headers, `http://${headers.get("host") ?? "localhost"}/`);
  return {
    viewer,
    authEnabled: auth.enabled,
    canWrite: viewer !== undefined,
    signInRequired: auth.enabled && !auth.publicRead && !viewer,
    providers: { admin: Boolean(auth.admin), oidc: auth.oidc?.name },
  };
}

type Limit = "upload" | "search" | "signin";
/**
 * One set of buckets per process, kept on globalThis: Next bundles the route handlers and the
 * server hook (instrumentation) separately, each with its own copy of this module, and a search
 * from the home page must spend from the same bucket as one through /api/search.
 */
const LIMITERS = Symbol.for("photo-search.rate-limiters");
const shared = globalThis as { [LIMITERS]?: Map<string, RateLimiter> };
const limiters = (shared[LIMITERS] ??= new Map<string, RateLimiter>());

function limiter(kind: Limit): RateLimiter {
  const { limits } = config();
  const [perMinute, action, variable] = {
    upload: [limits.uploadsPerMinute, "changes", "UPLOADS_PER_MINUTE"] as const,
    search: [limits.searchesPerMinute, "searches", "SEARCHES_PER_MINUTE"] as const,
    signin: [limits.signInsPerMinute, "sign-in attempts", "SIGNINS_PER_MINUTE"] as const,
  }[kind];
  const key = `${kind}:${perMinute}`;
  let found = limiters.get(key);
  if (!found) limiters.set(key, (found = new RateLimiter(perMinute, { action, variable })));
  return found;
}

/** Spends one of the viewer's (or, signed out, the client address's) requests of this kind a minute. */
export function rateLimit(kind: Limit, request: { headers: Headers }, viewer?: Viewer): void {
  const key = viewer && viewer.via !== "open" ? `user:${viewer.name}` : `addr:${clientAddress(request, config().trustProxy)}`;
  limiter(kind).take(key);
}

/**
 * The home page runs a search while it renders, so it spends from the viewer's search bucket like
 * /api/search. Checked by the server hook before Next renders (a page cannot set its own status):
 * the rate_limited error to answer with, or undefined to go on.
 */
export async function pageSearchRefusal(headers: Headers, url: string): Promise<AppError | undefined> {
  try {
    rateLimit("search", { headers }, await viewerOf(headers, url));
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

/**
 * Auth.js's routes (/api/auth/*), bounded like every other route: a small body read under
 * MAX_JSON_BYTES, same-origin posts only, sign-in attempts rate-limited per client address.
 */
export async function authRoute(request: Request): Promise<Response> {
  const { auth, limits, trustProxy } = config();
  if (!auth.enabled || !auth.secret) throw new AppError("not_found", "sign-in is not configured (AUTH_SECRET)");
  const url = browserUrl(request, trustProxy);
  if (request.method !== "POST") return authJs(new Request(url, { method: request.method, headers: request.headers }));
  checkSameOrigin(request.headers, trustProxy);
  if (new URL(request.url).pathname.startsWith("/api/auth/callback/")) rateLimit("signin", request);
  const body = await readBody(request, limits.maxJsonBytes, "MAX_JSON_BYTES");
  return authJs(new Request(url, { method: "POST", headers: request.headers, body: new Uint8Array(body) }));
}

/**
 * The URL as the browser addressed it. Next hands route handlers a URL on its own host name
 * (`localhost:<port>`), and Auth.js builds the OIDC redirect_uri from it, which the provider then
 * refuses (or, registered so, would send the browser to its own localhost). The Host header says
 * where the browser is; behind TRUST_PROXY proxies, X-Forwarded-Host and -Proto do. A forged Host
 * only yields a redirect_uri the provider does not have registered.
 */
export function browserUrl(request: Request, trustProxy: number): string {
  const url = new URL(request.url);
  const first = (name: string) => request.headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = (trustProxy > 0 && first("x-forwarded-host")) || first("host") || url.host;
  const forwarded = trustProxy > 0 ? first("x-forwarded-proto") : undefined;
  const protocol = forwarded === "http" || forwarded === "https" ? `${forwarded}:` : url.protocol;
  try {
    return new URL(`${url.pathname}${url.search}`, `${protocol}//${host}`).toString();
  } catch {
    return url.toString(); // a Host that is no host name
  }
}

export { ADMIN_PROVIDER, OIDC_PROVIDER };
