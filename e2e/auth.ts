/** The e2e servers' sign-in decision (e2e/serve.ts passes it; specs sign in with it). */
export const E2E_ADMIN = { user: "admin", password: "e2e-admin-password" };
export const E2E_TOKEN = "e2e-api-token-0123456789abcdef0123456789";

export const E2E_AUTH_ENV = {
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
  ADMIN_USER: E2E_ADMIN.user,
  ADMIN_PASSWORD: E2E_ADMIN.password,
  API_TOKENS: `e2e:${E2E_TOKEN}`,
  PUBLIC_READ: "true",
};

const APP_PORT = Number(process.env.E2E_PORT ?? 5101);
export const E2E_APP_URL = `http://127.0.0.1:${APP_PORT}`;

/** The e2e identity provider (e2e/oidc-provider.ts) and the app's client at it. */
export const E2E_OIDC = {
  port: Number(process.env.OIDC_E2E_PORT ?? APP_PORT + 20),
  get issuer() {
    return `http://127.0.0.1:${this.port}`;
  },
  clientId: "photo-search-e2e",
  clientSecret: "e2e-oidc-client-secret-0123456789abcdef",
  name: "Team SSO",
};

/** The main e2e server also signs in through the team's OpenID provider, for the @team.example domain. */
export const E2E_OIDC_ENV = {
  OIDC_ISSUER: E2E_OIDC.issuer,
  OIDC_CLIENT_ID: E2E_OIDC.clientId,
  OIDC_CLIENT_SECRET: E2E_OIDC.clientSecret,
  OIDC_NAME: E2E_OIDC.name,
  OIDC_ALLOWED_USERS: "@team.example",
};

/** For fetch() from tests and scripts: the API token, as CI would send it. */
export const withToken = (init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${E2E_TOKEN}` },
});

/** Signs in through the sign-in page, as a user would, and waits for the gallery. */
export async function signIn(page: import("@playwright/test").Page): Promise<void> {
  await page.goto("/signin");
  await page.locator("input[name=username]").fill(E2E_ADMIN.user);
  await page.locator("input[name=password]").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.locator("[data-hydrated]").waitFor();
}
