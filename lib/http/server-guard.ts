/**
 * What happens on the raw HTTP request before Next sees it, installed once at server start
 * (instrumentation → lifecycle). Next's route handlers cannot see the socket, and some requests
 * make the framework itself fail with a bare 500 before any route runs: methods the Fetch API
 * cannot represent (TRACE, TRACK, CONNECT: "HTTP method is unsupported") and paths whose
 * percent-encoding is malformed (`/api/photos/%ff%fe`: URIError while decoding params). Those are
 * answered here, in the app's one error shape. The home page, which runs a search while it renders,
 * spends from the same per-viewer search bucket as /api/search here, before Next renders it, since
 * a page cannot set its own status: over the limit it gets a 429 page in the visitor's language.
 * Everything else goes on to Next untouched.
 */
import http from "node:http";
import { pageSearchRefusal } from "@/lib/auth";
import { LANGUAGES, pickLanguage } from "@/lib/i18n/messages";
import { PEER_HEADER } from "./client-address";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const installed = Symbol.for("photo-search.server-guard");

/** The refusal for a request the framework cannot handle, or undefined to let it through. */
export function refusal(
  method: string | undefined,
  url: string | undefined,
): { status: number; code: string; message: string } | undefined {
  if (!METHODS.has(method ?? "")) {
    return { status: 405, code: "method_not_allowed", message: `${String(method).slice(0, 20)} is not supported; use GET, POST or DELETE` };
  }
  const pathname = (url ?? "/").split("?")[0] ?? "/";
  try {
    decodeURIComponent(pathname);
  } catch {
    return { status: 400, code: "bad_request", message: "the request path is not valid percent-encoded UTF-8" };
  }
  return undefined;
}

/** GET or HEAD of the home page (its HTML or its RSC payload): a server-rendered search. */
export function isPageSearch(method: string | undefined, url: string | undefined): boolean {
  return (method === "GET" || method === "HEAD") && (url ?? "/").split("?")[0] === "/";
}

function headersOf(request: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function cookie(headers: Headers, name: string): string | undefined {
  const found = (headers.get("cookie") ?? "").split(";").find((part) => part.trim().startsWith(`${name}=`));
  return found?.split("=")[1]?.trim();
}

/** The 429 page: the UI's words for it, in the language the page itself would use. */
export function rateLimitedPage(headers: Headers): string {
  const lang = pickLanguage(cookie(headers, "lang"), headers.get("accept-language"));
  const t = LANGUAGES[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>${t.errorTitle}</h1><p role="alert">${t.errorCodes.rate_limited}</p><p><a href="">${t.retry}</a></p></body></html>`;
}

export function installServerGuard(): void {
  const proto = http.Server.prototype as http.Server & { [installed]?: true };
  if (proto[installed]) return;
  proto[installed] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      const response = args[1] as http.ServerResponse;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "unknown";
      const refused = refusal(request.method, request.url);
      if (refused) {
        const body = JSON.stringify({ error: { code: refused.code, message: refused.message } });
        response.writeHead(refused.status, { "content-type": "application/json", allow: "GET, HEAD, POST, DELETE, OPTIONS" });
        response.end(body);
        request.resume(); // drain whatever body came with it
        return true;
      }
      if (isPageSearch(request.method, request.url)) {
        const headers = headersOf(request);
        const proceed = () => emit.apply(this, [event, ...args] as unknown as Parameters<typeof emit>);
        pageSearchRefusal(headers, `http://${headers.get("host") ?? "localhost"}${request.url}`).then((limited) => {
          if (!limited) return proceed();
          response.writeHead(429, { "content-type": "text/html; charset=utf-8", "retry-after": "60" });
          response.end(request.method === "HEAD" ? undefined : rateLimitedPage(headers));
        }, proceed);
        return true;
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof proto.emit;
}
