import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/errors";
import { clientKey, RateLimiter } from "./rate-limit";

describe("upload rate limit", () => {
  it("allows a burst up to the limit, then refuses with 429 until tokens refill", () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    for (let i = 0; i < 3; i++) limiter.take("a");
    assert.throws(
      () => limiter.take("a"),
      (e: AppError) => e.code === "rate_limited" && e.status === 429 && /UPLOADS_PER_MINUTE/.test(e.message),
    );
    limiter.take("b"); // another client has its own bucket
    now += 20_000; // a third of a minute: one token back
    limiter.take("a");
    assert.throws(() => limiter.take("a"));
  });

  it("can be turned off", () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) limiter.take("a");
  });

  it("keys clients by the nearest proxy's forwarded address", () => {
    assert.equal(clientKey(new Request("http://x", { headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.1" } })), "203.0.113.7");
    assert.equal(clientKey(new Request("http://x")), "direct");
  });
});
