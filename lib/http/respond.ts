/** Route plumbing: one error shape, `{ error: { code, message } }`, for every failure. */
import { AppError } from "@/lib/errors";
import { ConfigError } from "@/lib/config";

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
  if (error instanceof ConfigError) {
    return Response.json({ error: { code: "configuration", message: error.message } }, { status: 500 });
  }
  // Unexpected: log the detail on the server, tell the client only that it happened.
  console.error("unexpected error", error);
  return Response.json({ error: { code: "internal", message: "internal error; see the server log" } }, { status: 500 });
}

/** Wraps a route handler so that anything it throws becomes an error response. */
export function handler<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Reads a JSON body, answering 400 (not 500) for malformed JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("bad_request", "the request body must be valid JSON");
  }
}
