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
