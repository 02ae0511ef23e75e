/** Event listeners where one that throws never stops the others. */

/**
 * A typed event hub. Listeners run in the order they were added; an error in one is logged and the
 * rest still run, so a site's faulty handler cannot break the widget or another handler.
 *
 * @example
 * const events = new Emitter<{ open: Record<string, never> }>();
 * events.on('open', () => console.log('opened'));
 * events.emit('open', {});
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): void {
    this.#listeners.get(type)?.delete(listener);
  }

  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        console.error(`[parley] a "${String(type)}" listener failed`, error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
