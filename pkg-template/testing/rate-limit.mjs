// The "Cloud Backups" token bucket, one per project: capacity 1200, refilled with 500 every 60 s.
// The mock only reports it in RateLimit-* headers; a 429 comes from an injected fault, so tests
// that page through Big0 one item at a time are never throttled by accident.
export const RATE_LIMIT_CAPACITY = 1200;
const REFILL_AMOUNT = 500;
const REFILL_PERIOD_MS = 60_000;

export class RateLimiter {
  #buckets = new Map();

  /** Takes one request from `groupId`'s bucket and returns the headers that report it. */
  take(groupId) {
    const now = performance.now();
    const bucket = this.#buckets.get(groupId) ?? { tokens: RATE_LIMIT_CAPACITY, refilledAt: now };
    // Whole periods only, so the count drops by exactly one per request within a minute.
    const periods = Math.floor((now - bucket.refilledAt) / REFILL_PERIOD_MS);
    if (periods > 0) {
      bucket.tokens = Math.min(RATE_LIMIT_CAPACITY, bucket.tokens + periods * REFILL_AMOUNT);
      bucket.refilledAt += periods * REFILL_PERIOD_MS;
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    this.#buckets.set(groupId, bucket);
    return {
      "RateLimit-Limit": String(RATE_LIMIT_CAPACITY),
      "RateLimit-Remaining": String(bucket.tokens),
    };
  }

  clear() {
    this.#buckets.clear();
  }
}
