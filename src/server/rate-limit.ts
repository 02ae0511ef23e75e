/** Token-bucket rate limits, kept in memory per node (the store is not needed for a burst guard). */

export interface RateLimit {
  /** Tokens refilled per second. */
  perSecond: number;
  /** Bucket size: the burst allowed after a quiet spell. */
  burst: number;
}

export interface RateLimiter {
  /** Takes one token for `key`; false means "over the limit". */
  take(key: string): boolean;
}

export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = 100_000;
  return {
    take(key) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: time };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((time - bucket.at) / 1000) * limit.perSecond);
      bucket.at = time;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      // Bound memory: drop the oldest keys (Map keeps insertion order) under a flood of new ones.
      if (!buckets.has(key) && buckets.size >= maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      buckets.set(key, bucket);
      return allowed;
    },
  };
}
