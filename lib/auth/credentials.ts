/** Constant-time checks of the admin password and API tokens, so a guess's timing says nothing. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthConfig } from "@/lib/config";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Same-length digests: timingSafeEqual needs equal lengths, and the inputs' lengths stay hidden. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function checkAdmin(auth: AuthConfig, user: unknown, password: unknown): boolean {
  if (!auth.admin || typeof user !== "string" || typeof password !== "string") return false;
  const userOk = sameSecret(user, auth.admin.user);
  const passwordOk = sameSecret(password, auth.admin.password);
  return userOk && passwordOk;
}

/** The name of the API token in an `Authorization: Bearer <token>` header, or undefined. */
export function tokenOwner(auth: AuthConfig, authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  const given = match[1];
  let owner: string | undefined;
  for (const { name, token } of auth.apiTokens) if (sameSecret(given, token)) owner ??= name; // no early exit
  return owner;
}
