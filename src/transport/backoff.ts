/** Reconnect delays: exponential backoff with full jitter. */

export interface BackoffOptions {
  /** The cap of the first delay, in milliseconds (default 500). */
  minMs?: number;
  /** The largest delay, in milliseconds (default 20 000). */
  maxMs?: number;
  /** A source of numbers in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export const defaultBackoff = { minMs: 500, maxMs: 20_000 } as const;

/**
 * The delay before retry number `attempt` (0 for the first retry): a uniformly random value in
 * `[0, min(maxMs, minMs * 2^attempt))`. Full jitter spreads a crowd of clients that lost the same
 * server, so they do not all come back in the same instant.
 *
 * @example
 * backoffDelay(3, { minMs: 500, maxMs: 20_000 }, () => 0.5); // 2000 (half of the 4000 ms cap)
 */
export function backoffDelay(
  attempt: number,
  { minMs, maxMs }: { minMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/**
 * Counts attempts and hands out growing, jittered delays until `reset` (after a successful welcome).
 *
 * @example
 * const backoff = new Backoff({ minMs: 500, maxMs: 20_000 });
 * setTimeout(reconnect, backoff.next());
 * // later, once the server said welcome:
 * backoff.reset();
 */
export class Backoff {
  #attempt = 0;
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.#minMs = Math.max(1, options.minMs ?? defaultBackoff.minMs);
    this.#maxMs = Math.max(this.#minMs, options.maxMs ?? defaultBackoff.maxMs);
    this.#random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.#attempt;
  }

  /** The next delay; each call widens the window until it reaches `maxMs`. */
  next(): number {
    const delay = backoffDelay(this.#attempt, { minMs: this.#minMs, maxMs: this.#maxMs }, this.#random);
    // Past 2^30 the window is long capped; stop counting so the exponent cannot overflow.
    if (this.#attempt < 30) this.#attempt += 1;
    return delay;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
