import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/errors";
import { clientAddress, PEER_HEADER } from "./client-address";
import { RateLimiter } from "./rate-limit";

describe("rate limit", () => {
  it("allows a burst up to the limit, then refuses with 429 naming the variable until tokens refill", () => {
    let now = 0;
    const limiter = new RateLimiter(3, { action: "uploads", variable: "UPLOADS_PER_MINUTE" }, () => now);
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
});

describe("client address", () => {
  const request = (peer: string, forwarded?: string) =>
    new Request("http://x", { headers: { [PEER_HEADER]: peer, ...(forwarded ? { "x-forwarded-for": forwarded } : {}) } });

  it("without TRUST_PROXY is the socket's peer, whatever X-Forwarded-For claims", () => {
    assert.equal(clientAddress(request("198.51.100.9", "203.0.113.7"), 0), "198.51.100.9");
  });

  it("behind one proxy is the address that proxy appended, never one the client wrote", () => {
    // The client sent "1.2.3.4"; the load balancer appended the real address.
    assert.equal(clientAddress(request("10.0.0.2", "1.2.3.4, 203.0.113.7"), 1), "203.0.113.7");
    assert.equal(clientAddress(request("10.0.0.3", "203.0.113.7, 10.0.0.2"), 2), "203.0.113.7");
  });

  it("70 requests with 70 different forged headers share one bucket", () => {
    const limiter = new RateLimiter(60);
    let refused = 0;
    for (let i = 0; i < 70; i++) {
      try {
        limiter.take(clientAddress(request("10.0.0.2", `192.0.2.${i}, 203.0.113.7`), 1));
      } catch {
        refused++;
      }
    }
    assert.equal(refused, 10);
  });
});
