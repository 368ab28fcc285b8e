/**
 * Reads the Auth.js session cookie (an encrypted JWT: no session database, so any number of app
 * instances behind a load balancer share sessions through AUTH_SECRET alone).
 */
import { decode } from "@auth/core/jwt";
import type { AuthConfig } from "@/lib/config";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** Auth.js names the cookie with the __Secure- prefix when the site is served over https. */
export function sessionCookieName(headers: Headers, url: string): string {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? new URL(url).protocol.replace(":", "");
  return proto === "https" ? "__Secure-authjs.session-token" : "authjs.session-token";
}

function readCookie(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** The signed-in user's display name, or undefined when there is no valid, unexpired session. */
export async function sessionUser(auth: AuthConfig, headers: Headers, url: string): Promise<string | undefined> {
  if (!auth.secret) return undefined;
  const name = sessionCookieName(headers, url);
  const token = readCookie(headers, name);
  if (!token) return undefined;
  try {
    const claims = await decode({ token, secret: auth.secret, salt: name });
    if (!claims) return undefined;
    return String(claims.email ?? claims.name ?? claims.sub ?? "user");
  } catch {
    return undefined; // tampered, expired, or made with another secret
  }
}
