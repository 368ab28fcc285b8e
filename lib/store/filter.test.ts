import assert from "node:assert/strict";
import { test } from "node:test";
import { distanceKm, withinRadius } from "./filter";

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

test("withinRadius agrees with the great-circle distance everywhere: near the poles, across the antimeridian, 1 m to 10,000 km", () => {
  const next = random(7);
  let inside = 0;
  for (let i = 0; i < 200_000; i++) {
    const centre = { lat: next() * 180 - 90, lon: next() * 360 - 180 };
    const radiusKm = 10 ** (next() * 7 - 3); // 1 m .. 10,000 km
    // Points around the centre, where the latitude band's bound is tight.
    const lat = Math.max(-90, Math.min(90, centre.lat + (next() - 0.5) * 4 * (radiusKm / 111)));
    const lon = next() < 0.5 ? centre.lon + (next() - 0.5) * 4 * (radiusKm / 111) : next() * 360 - 180;
    const expected = distanceKm(centre.lat, centre.lon, lat, lon) <= radiusKm;
    assert.equal(withinRadius(centre.lat, centre.lon, radiusKm, lat, lon), expected, JSON.stringify({ centre, radiusKm, lat, lon }));
    if (expected) inside++;
  }
  assert.ok(inside > 20_000, `enough points inside to mean something (${inside})`);
});

test("a point due north at the radius is inside, just past it is not; an unknown position is never inside", () => {
  const kmPerDegree = (Math.PI / 180) * 6371.0088;
  assert.equal(withinRadius(43, 11, 10.000001, 43 + 10 / kmPerDegree, 11), true);
  assert.equal(withinRadius(43, 11, 10, 43 + 10.01 / kmPerDegree, 11), false);
  assert.equal(withinRadius(43, 11, 10, Number.NaN, Number.NaN), false);
  assert.equal(withinRadius(43, 11, 10, 43, Number.NaN), false);
});
