/**
 * Who may do what, in a real browser against the production build (sign-in on, PUBLIC_READ=true):
 * signed-out visitors browse but cannot upload or delete; a form on another origin cannot post
 * into the library even while the user is signed in (the session cookie is SameSite=Lax, and a
 * page on another port of the same host is the same site, so only the Origin check stops it); a
 * signed-in user uploads and deletes, and stays signed in across a reload.
 */
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn } from "./auth";
import { flickrPhoto as photo, idOf, reloadStillSignedIn, shot, tiles, uploadPhoto } from "./helpers";

test.describe("access control", () => {
  test("signed-out visitors browse, but cannot upload or delete", async ({ page, baseURL }) => {
    await page.goto("/");
    await page.locator("[data-hydrated]").waitFor();
    await expect(tiles(page).first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("upload")).toHaveCount(0);
    await tiles(page).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);

    // The API says the same to a same-origin request without a session.
    const id = await tiles(page).first().getAttribute("data-photo-id");
    const file = photo(20);
    const upload = await page.request.post("/api/photos", {
      headers: { origin: baseURL! },
      multipart: { file: { name: "x.jpg", mimeType: "image/jpeg", buffer: fs.readFileSync(file) } },
    });
    expect(upload.status()).toBe(401);
    expect((await upload.json()).error.code).toBe("unauthorized");
    const removal = await page.request.delete(`/api/photos/${id}`, { headers: { origin: baseURL! } });
    expect(removal.status()).toBe(401);
    expect((await page.request.get(`/api/photos/${idOf(file)}`)).status()).toBe(404);
    expect((await page.request.get(`/api/photos/${id}`)).status()).toBe(200);
  });

  test("shows the sign-in page and refuses a wrong password", async ({ page }) => {
    await page.goto("/signin");
    await shot(page, "signin-desktop-light");
    await page.locator("input[name=username]").fill("admin");
    await page.locator("input[name=password]").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong user name or password." })).toBeVisible();
    await shot(page, "signin-desktop-light-wrong-password");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/signin");
    await shot(page, "signin-phone-dark");
  });

  test("a signed-in user uploads and deletes, and the session survives a reload", async ({ page }) => {
    await signIn(page);
    const file = photo(21);
    await uploadPhoto(page, file);
    await reloadStillSignedIn(page);
    await expect(page.getByTestId("upload")).toHaveCount(1);
    await shot(page, "gallery-signed-in");

    // The photo's own URL opens it (an undated upload sits at the end of the timeline).
    await page.goto(`/?photo=${idOf(file)}`);
    await page.locator("[data-hydrated]").waitFor();
    await expect(page.getByRole("dialog")).toHaveAttribute("data-photo-id", idOf(file));
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByRole("alertdialog")).toContainText("Delete this photo from the library?");
    await shot(page, "photo-delete-confirm");
    await page.getByRole("button", { name: "Delete photo" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByTestId("results").locator(`a[data-photo-id="${idOf(file)}"]`)).toHaveCount(0);
    expect((await page.request.get(`/api/photos/${idOf(file)}`)).status()).toBe(404);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("a form on another origin cannot post into the library, even while signed in", async ({ page, baseURL }) => {
    await signIn(page);
    const file = photo(22);
    // An attacker's page on another port of the same host: the same site, so the browser sends the
    // SameSite=Lax session cookie with its top-level form post. (Served without this app's CSP,
    // whose form-action 'self' would stop the post in the browser before the server could.)
    const evil = `http://127.0.0.1:${Number(new URL(baseURL!).port) + 7}/evil`;
    await page.route(evil, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>evil</title><body></body>" }));
    await page.goto(evil);
    const base64 = fs.readFileSync(file).toString("base64");
    const refused = page.waitForResponse((response) => response.url() === `${baseURL}/api/photos`);
    await page.evaluate(
      ({ target, b64 }) => {
        const form = document.createElement("form");
        form.method = "POST";
        form.action = target;
        form.enctype = "multipart/form-data";
        const input = document.createElement("input");
        input.type = "file";
        input.name = "file";
        const data = new DataTransfer();
        data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "evil.jpg", { type: "image/jpeg" }));
        input.files = data.files;
        form.append(input);
        document.body.append(form);
        form.submit();
      },
      { target: `${baseURL}/api/photos`, b64: base64 },
    );
    const response = await refused;
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe("forbidden");
    expect((await page.request.get(`${baseURL}/api/photos/${idOf(file)}`)).status()).toBe(404);
  });
});
