/** A token bucket per client: `perMinute` requests a minute, in bursts of up to that many. */
import { AppError } from "@/lib/errors";

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    /** Names the limit in the error: what is limited and the variable that sets it. */
    private readonly what: { action: string; variable: string } = { action: "uploads", variable: "UPLOADS_PER_MINUTE" },
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends a token for `client`, or throws a rate_limited AppError when none is left. */
  take(client: string): void {
    if (this.perMinute <= 0) return;
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    if (bucket.tokens < 1) {
      throw new AppError(
        "rate_limited",
        `too many ${this.what.action}: at most ${this.perMinute} a minute (${this.what.variable}); try again shortly`,
      );
    }
    bucket.tokens -= 1;
    this.buckets.delete(client); // re-inserted last: the map's order is least recently used first
    this.buckets.set(client, bucket);
    const oldest = this.buckets.keys().next();
    if (this.buckets.size > 10_000 && !oldest.done) this.buckets.delete(oldest.value); // bounded memory
  }
}
