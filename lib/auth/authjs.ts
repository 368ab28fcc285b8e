/**
 * Sign-in with Auth.js: the admin account from ADMIN_USER/ADMIN_PASSWORD (credentials
 * provider) and a team's OpenID Connect provider (OIDC_ISSUER, discovered from its
 * .well-known/openid-configuration, with PKCE, state and nonce). Sessions are encrypted JWTs in an
 * HttpOnly, SameSite=Lax cookie (Secure and __Secure- prefixed over https); Auth.js adds its own
 * double-submit CSRF token to its sign-in and sign-out posts.
 * The server side calls Auth.js's framework-free core (`@auth/core`, the same Auth() next-auth v5
 * wraps), so the routes and their tests run outside Next's request scope; the browser uses
 * next-auth/react's signIn/signOut against the same /api/auth endpoints.
 */
import { Auth, type AuthConfig } from "@auth/core";
import Credentials from "@auth/core/providers/credentials";
import type { Provider } from "@auth/core/providers";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { oidcUserAllowed } from "./allowed";
import { checkAdmin } from "./credentials";
import { SESSION_MAX_AGE_SECONDS } from "./session";

export const ADMIN_PROVIDER = "admin";
export const OIDC_PROVIDER = "oidc";

function providers(): Provider[] {
  const { auth } = config();
  const list: Provider[] = [];
  if (auth.admin) {
    list.push(
      Credentials({
        id: ADMIN_PROVIDER,
        name: "Administrator",
        credentials: { username: { label: "User" }, password: { label: "Password", type: "password" } },
        authorize: (input) => (checkAdmin(auth, input.username, input.password) ? { id: auth.admin!.user, name: auth.admin!.user } : null),
      }),
    );
  }
  if (auth.oidc) {
    list.push({
      id: OIDC_PROVIDER,
      name: auth.oidc.name,
      type: "oidc",
      issuer: auth.oidc.issuer,
      clientId: auth.oidc.clientId,
      clientSecret: auth.oidc.clientSecret,
      checks: ["pkce", "state", "nonce"],
      // The user's e-mail (which OIDC_ALLOWED_USERS checks) comes from the userinfo endpoint: a
      // conforming provider may put only `sub` in the ID token when it also issues an access token
      // (oidc-provider does by default), and Auth.js would then see a user without an e-mail.
      idToken: false,
    });
  }
  return list;
}

function authJsConfig(): AuthConfig {
  const { auth } = config();
  return {
    providers: providers(),
    secret: auth.secret,
    basePath: "/api/auth",
    // Behind SAE's load balancer the public host arrives in the Host (or X-Forwarded-Host) header.
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // false sends the browser back to /signin?error=AccessDenied.
      signIn: ({ account, profile }) => {
        if (account?.provider !== OIDC_PROVIDER || oidcUserAllowed(auth.oidc?.allowedUsers, profile ?? {})) return true;
        log("warn", "sign-in refused: not in OIDC_ALLOWED_USERS", { email: String(profile?.email ?? "").slice(0, 100) });
        return false;
      },
    },
    logger: {
      error: (error) => log("warn", "sign-in error", { error: error.message }),
      warn: (code) => log("warn", "auth warning", { code }),
      debug: () => {},
    },
  };
}

/** Answers /api/auth/* (csrf, providers, signin, callback, session, signout). */
export function authJs(request: Request): Promise<Response> {
  return Auth(request, authJsConfig());
}
