/**
 * Route plumbing: one error shape, `{ error: { code, message } }`, for every failure, and one JSON
 * log line per request with its id (from X-Request-Id, or made here) and timing.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { ConfigError } from "@/lib/config";
import { trackRequest } from "@/lib/lifecycle";
import { log } from "@/lib/log";
import { readBody } from "./body";

export function errorResponse(error: unknown, requestId?: string): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  if (error instanceof ConfigError) {
    return Response.json({ error: { code: "configuration", message: error.message } }, { status: 500 });
  }
  // Unexpected: log the detail on the server, tell the client only that it happened.
  log("error", "unexpected error", { requestId, error: (error as Error)?.message, stack: (error as Error)?.stack });
  return Response.json({ error: { code: "internal", message: "internal error; see the server log" } }, { status: 500 });
}

/** Wraps a route handler: anything it throws becomes an error response; every request is logged. */
export function handler<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const request = args[0] instanceof Request ? args[0] : undefined;
    const requestId =
      request?.headers
        .get("x-request-id")
        ?.replace(/[^\w.:-]/g, "")
        .slice(0, 64) || randomUUID();
    const started = performance.now();
    const done = trackRequest();
    let response: Response;
    try {
      response = await fn(...args);
    } catch (error) {
      response = errorResponse(error, requestId);
      if (error instanceof AppError && error.status >= 500) log("warn", error.message, { requestId, code: error.code });
    } finally {
      done();
    }
    try {
      response.headers.set("x-request-id", requestId);
    } catch {
      // redirects have immutable headers
    }
    const url = request ? new URL(request.url) : undefined;
    log("info", "request", {
      requestId,
      method: request?.method,
      path: url?.pathname,
      status: response.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    return response;
  };
}

/** Reads a JSON body of at most MAX_JSON_BYTES (counted while it streams), answering 400 (not 500) when malformed. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readBody(request, maxBytes, "MAX_JSON_BYTES");
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new AppError("bad_request", "the request body must be valid JSON");
  }
}
