/**
 * What happens on the raw HTTP request before Next sees it, installed once at server start
 * (instrumentation → lifecycle). Next's route handlers cannot see the socket, and some requests
 * make the framework itself fail with a bare 500 before any route runs: methods the Fetch API
 * cannot represent (TRACE, TRACK, CONNECT: "HTTP method is unsupported") and paths whose
 * percent-encoding is malformed (`/api/photos/%ff%fe`: URIError while decoding params). Those are
 * answered here, in the app's one error shape; everything else goes on to Next untouched.
 */
import http from "node:http";
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
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof proto.emit;
}
