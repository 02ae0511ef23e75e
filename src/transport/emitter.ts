/** A small typed event emitter whose handlers cannot break the code that emits. */

export type Handler<P> = (payload: P) => void;

/**
 * Typed events keyed by name. A handler that throws is reported with `console.error` and the
 * remaining handlers still run: one faulty UI callback must never stop message delivery.
 *
 * @example
 * const events = new Emitter<{ tick: number }>();
 * const stop = events.on('tick', (n) => console.log(n));
 * events.emit('tick', 1); // logs 1
 * stop();
 */
export class Emitter<EventMap extends object> {
  readonly #handlers = new Map<keyof EventMap, Set<Handler<never>>>();

  /** Adds a handler and returns a function that removes it. */
  on<K extends keyof EventMap>(type: K, handler: Handler<EventMap[K]>): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => this.off(type, handler);
  }

  /** Removes a handler added with `on`. */
  off<K extends keyof EventMap>(type: K, handler: Handler<EventMap[K]>): void {
    this.#handlers.get(type)?.delete(handler);
  }

  /** Calls every handler of `type`; a throwing handler is logged, not propagated. */
  emit<K extends keyof EventMap>(type: K, payload: EventMap[K]): void {
    const set = this.#handlers.get(type);
    if (!set || set.size === 0) return;
    // A copy, so handlers may add or remove handlers while we iterate.
    for (const handler of [...set] as Handler<EventMap[K]>[]) {
      try {
        handler(payload);
      } catch (error) {
        console.error(`[parley] a "${String(type)}" listener threw`, error);
      }
    }
  }

  /** Removes every handler (a destroyed chat calls no one). */
  clear(): void {
    this.#handlers.clear();
  }
}
