/**
 * The e2e suite's identity provider: `oidc-provider` (a certified OpenID Provider implementation)
 * on loopback, with one confidential client for the app and its development login and consent
 * pages (any password; the login is the account). The app signs in against it with the real
 * Auth.js flow: discovery, authorization code with PKCE (S256), state and nonce, ID token checks.
 *   tsx e2e/oidc-provider.ts
 */
import Provider from "oidc-provider";
import { E2E_APP_URL, E2E_OIDC } from "./auth";

/** Accounts by login: one in the allowed domain (OIDC_ALLOWED_USERS), one outside it. */
const ACCOUNTS: Record<string, { email: string; name: string }> = {
  ana: { email: "ana@team.example", name: "Ana" },
  mallory: { email: "mallory@elsewhere.example", name: "Mallory" },
};

const provider = new Provider(E2E_OIDC.issuer, {
  clients: [
    {
      client_id: E2E_OIDC.clientId,
      client_secret: E2E_OIDC.clientSecret,
      redirect_uris: [`${E2E_APP_URL}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  pkce: { required: () => true },
  cookies: { keys: ["e2e-oidc-cookie-key-0123456789abcdef"] },
  findAccount: (_ctx, login) => {
    const account = ACCOUNTS[login];
    if (!account) return undefined;
    return { accountId: login, claims: async () => ({ sub: login, email: account.email, email_verified: true, name: account.name }) };
  },
});

const server = provider.listen(E2E_OIDC.port, "127.0.0.1", () => console.log(`OpenID provider at ${E2E_OIDC.issuer}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
