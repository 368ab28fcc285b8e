/** A token bucket per client: `perMinute` requests a minute, in bursts of up to that many. */
import { AppError } from "@/lib/errors";

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
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
      throw new AppError("rate_limited", `too many uploads: at most ${this.perMinute} a minute (UPLOADS_PER_MINUTE); try again shortly`);
    }
    bucket.tokens -= 1;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 10_000) this.buckets.delete(this.buckets.keys().next().value!); // bounded memory
  }
}

/** The client's address as the nearest proxy reports it, else one shared key. */
export function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "direct";
}
