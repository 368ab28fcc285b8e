import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstPageSizeFor, PAGE_SIZE, PHONE_FIRST_PAGE_SIZE, requestBody, showsTimeline, viewFromParams, viewToSearch } from "./url-state";

describe("url state", () => {
  it("rounds coordinates in the URL to four decimals and reads them back", () => {
    const search = viewToSearch({ filters: { near: { lat: 43.467123456789, lon: 11.881987654321, radiusKm: 5 } } });
    assert.equal(search, "?near=43.4671%2C11.882%2C5");
    assert.deepEqual(viewFromParams(new URLSearchParams(search)).filters.near, { lat: 43.4671, lon: 11.882, radiusKm: 5 });
  });

  it("keeps the image query and the open photo, and refuses malformed ids", () => {
    const photo = "0123456789abcdef0123456789abcdef";
    const view = viewFromParams(new URLSearchParams(`image=${photo}&photo=${photo}`));
    assert.equal(view.image, photo);
    assert.equal(view.photo, photo);
    const bad = viewFromParams(new URLSearchParams("image=../x&photo=../etc"));
    assert.equal(bad.image, undefined);
    assert.equal(bad.photo, undefined);
  });

  it("composes an image query with words: weight and not-like photos kept, no text mode", () => {
    const image = "0123456789abcdef0123456789abcdef";
    const other = "fedcba9876543210fedcba9876543210";
    const search = "?q=at+night&unlike=" + other + "&w=2&image=" + image;
    const view = viewFromParams(new URLSearchParams(search));
    assert.equal(viewToSearch(view), search);
    assert.deepEqual(requestBody({ ...view, mode: "text" }), { q: "at night", likeWeight: 2, unlike: [other] });
    // One photo per query: a URL naming both a "like" photo and an image searches with the image.
    assert.deepEqual(requestBody({ like: other, image, filters: {} }), {});
  });

  it("shows browsing and date-ordered searches as a timeline", () => {
    assert.equal(showsTimeline({ filters: {} }), true);
    assert.equal(showsTimeline({ q: "sea", filters: {} }), false);
    assert.equal(showsTimeline({ q: "sea", order: "newest", filters: {} }), true);
  });
});

describe("firstPageSizeFor", () => {
  it("serves a phone its first screens and anything else a full page", () => {
    const view = viewFromParams({ q: "a red bus" });
    assert.equal(firstPageSizeFor(view, true), PHONE_FIRST_PAGE_SIZE);
    assert.equal(firstPageSizeFor(view, false), PAGE_SIZE);
    assert.ok(PHONE_FIRST_PAGE_SIZE < PAGE_SIZE);
  });
});
