/**
 * CSRF protection for state-changing requests: a browser always says where a request comes from
 * (Origin on every POST/PUT/PATCH/DELETE, Sec-Fetch-Site in every current browser), so a request a
 * page on another origin makes (a form post, a fetch) is refused before any cookie is trusted.
 * Requests without either header do not come from a browser (curl, scripts); they still need a
 * token or a session to write.
 */
import { AppError } from "@/lib/errors";

export function checkSameOrigin(headers: Headers, trustProxy: number): void {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw crossOrigin(`a ${site} request`);
  const origin = headers.get("origin");
  if (origin === null) return;
  const host = (trustProxy > 0 && headers.get("x-forwarded-host")?.split(",")[0]?.trim()) || headers.get("host");
  if (!host || hostOf(origin) !== host.toLowerCase()) throw crossOrigin(`a request from ${origin.slice(0, 100)}`);
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined; // "null" (sandboxed frames, file:) and anything malformed match no host
  }
}

function crossOrigin(what: string): AppError {
  return new AppError("forbidden", `${what} may not change this library (cross-origin requests are refused)`);
}
