/** Liveness of one link: regular pings out, and a watchdog that fires after too long a silence. */

export interface HeartbeatOptions {
  /** Called every interval while pinging is on. */
  ping(): void;
  /** Called once when nothing arrived for twice the interval. */
  dead(silentMs: number): void;
  /** A clock, injectable for tests. */
  now?: () => number;
}

/**
 * Watches one link. Any inbound bytes count (`alive()`), not only pongs, so a busy link never
 * needs an extra round trip. Silence for twice the interval means the link is dead: a socket
 * frozen by a sleeping laptop or mobile Safari does not close by itself.
 *
 * @example
 * const heartbeat = new Heartbeat({ ping: () => link.send({ type: 'ping' }), dead: () => link.close() });
 * heartbeat.start(5000, false); // watch only, until the welcome arrives
 * heartbeat.start(5000, true); // watch and ping
 * socket.onmessage = () => heartbeat.alive();
 */
export class Heartbeat {
  #intervalMs = 0;
  #lastSeen = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  readonly #now: () => number;
  readonly #options: HeartbeatOptions;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** (Re)starts watching with this interval; pings too when `ping` is true. Counts as activity. */
  start(intervalMs: number, ping: boolean): void {
    this.stop();
    this.#intervalMs = intervalMs;
    this.#lastSeen = this.#now();
    if (ping) this.#pingTimer = setInterval(() => this.#options.ping(), intervalMs);
    this.#arm(2 * intervalMs);
  }

  /** Records inbound activity; cheap enough to call for every frame. */
  alive(): void {
    this.#lastSeen = this.#now();
  }

  /** Checks the silence at once (after the page wakes up, say) instead of at the next timer. */
  check(): void {
    if (this.#watchdog === undefined) return;
    clearTimeout(this.#watchdog);
    this.#expire();
  }

  stop(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#watchdog);
    this.#pingTimer = undefined;
    this.#watchdog = undefined;
  }

  #arm(delayMs: number): void {
    this.#watchdog = setTimeout(() => this.#expire(), Math.max(0, delayMs));
  }

  #expire(): void {
    const limit = 2 * this.#intervalMs;
    const silentMs = this.#now() - this.#lastSeen;
    // Rather than resetting a timer on every frame, look back when the timer fires and sleep
    // again for whatever is left of the allowance.
    if (silentMs < limit) return this.#arm(limit - silentMs);
    this.stop();
    this.#options.dead(silentMs);
  }
}
