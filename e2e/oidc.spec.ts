/**
 * Single sign-on against a real OpenID Provider (`oidc-provider`, e2e/oidc-provider.ts), through
 * Auth.js in Chromium: the sign-in page's button, the provider's login and consent pages, the
 * authorization code flow with PKCE (S256), state and nonce, and back to the gallery signed in.
 * OIDC_ALLOWED_USERS=@team.example: an account of the domain may upload; one outside it is sent
 * back to the sign-in page with the reason, and stays signed out.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_OIDC } from "./auth";
import { flickrPhoto, reloadStillSignedIn, SCREENSHOTS, uploadPhoto } from "./helpers";

/** Starts single sign-on and signs in at the provider; returns the authorization request it made. */
async function signInAtProvider(page: Page, login: string): Promise<URL> {
  await page.goto("/signin");
  const authorization = page.waitForRequest((request) => request.url().startsWith(`${E2E_OIDC.issuer}/auth?`));
  await page.getByRole("button", { name: `Sign in with ${E2E_OIDC.name}` }).click();
  const url = new URL((await authorization).url());
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password: the provider's development login");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click(); // consent to the app's scopes
  return url;
}

test.describe("single sign-on (OpenID Connect)", () => {
  test("an account the team allows signs in with code + PKCE, uploads, and stays signed in", async ({ page }) => {
    const request = await signInAtProvider(page, "ana");
    expect(request.searchParams.get("response_type")).toBe("code");
    expect(request.searchParams.get("client_id")).toBe(E2E_OIDC.clientId);
    expect(request.searchParams.get("code_challenge_method")).toBe("S256");
    expect(request.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(request.searchParams.get("state")).toBeTruthy();
    expect(request.searchParams.get("nonce")).toBeTruthy();
    expect(request.searchParams.get("scope")).toContain("openid");

    await page.waitForURL((url) => url.origin !== E2E_OIDC.issuer && url.pathname === "/");
    await page.locator("[data-hydrated]").waitFor();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    const session = await (await page.request.get("/api/auth/session")).json();
    expect(session.user.email).toBe("ana@team.example");

    await uploadPhoto(page, flickrPhoto(23));
    await reloadStillSignedIn(page);
  });

  test("an account outside OIDC_ALLOWED_USERS is refused and stays signed out", async ({ page }) => {
    await signInAtProvider(page, "mallory");
    await page.waitForURL((url) => url.origin !== E2E_OIDC.issuer && url.pathname === "/signin");
    expect(new URL(page.url()).searchParams.get("error")).toBe("AccessDenied");
    await expect(page.getByRole("alert").filter({ hasText: "This account may not sign in here" })).toBeVisible();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "signin-oidc-refused.png") });
    expect(await (await page.request.get("/api/auth/session")).json()).toBeNull();
    await page.goto("/");
    await page.locator("[data-hydrated]").waitFor();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("upload")).toHaveCount(0);
  });
});
