/**
 * Who may sign in through the team's OpenID provider: with OIDC_ALLOWED_USERS set, only those
 * e-mail addresses and @domains (a provider shared with people outside the team, or a public one,
 * would otherwise let all its users change the library). The address must not be marked unverified.
 */
export function oidcUserAllowed(allowed: string[] | undefined, profile: { email?: unknown; email_verified?: unknown }): boolean {
  if (!allowed) return true;
  if (typeof profile.email !== "string" || profile.email_verified === false) return false;
  const email = profile.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf("@"));
  return allowed.includes(email) || allowed.includes(domain);
}
