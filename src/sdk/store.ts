/** The widget's state in the browser: localStorage under one prefix when consent allows, memory otherwise. */

/**
 * Keeps the widget's keys (token, resume points, open state, unread) under one prefix, such as
 * `parley:<widgetId>:`. While it is not persistent (consent pending or denied) every write stays
 * in memory and nothing touches the browser's storage; turning persistence on writes the memory
 * out, turning it off moves the stored keys back into memory and deletes them from storage.
 * Storage that throws (disabled, full, sandboxed) degrades to memory instead of breaking the chat.
 *
 * @example
 * const store = new VisitorStore('parley:w1:', localStorage);
 * store.set('open', '1'); // memory only
 * store.setPersistent(true); // now in localStorage as "parley:w1:open"
 */
export class VisitorStore {
  readonly #memory = new Map<string, string>();
  #persistent = false;

  readonly #prefix: string;
  readonly #backing: Storage | undefined;

  constructor(prefix: string, backing: Storage | undefined) {
    this.#prefix = prefix;
    this.#backing = backing;
  }

  /** Reads a key from the browser's storage even while not persistent (reading writes nothing). */
  stored(key: string): string | undefined {
    return this.#attempt(() => this.#backing?.getItem(this.#prefix + key) ?? undefined);
  }

  /** True when `storageKey` (as a storage event names it) is this store's `key`. */
  isStorageKey(storageKey: string | null, key: string): boolean {
    return storageKey === this.#prefix + key;
  }

  get(key: string): string | undefined {
    return this.#persistent ? this.stored(key) : this.#memory.get(key);
  }

  set(key: string, value: string): void {
    if (!this.#persistent || this.#attempt(() => (this.#backing!.setItem(this.#prefix + key, value), true)) !== true) {
      this.#memory.set(key, value);
    }
  }

  remove(key: string): void {
    this.#memory.delete(key);
    if (this.#persistent) this.#attempt(() => this.#backing?.removeItem(this.#prefix + key));
  }

  /** A JSON value, from memory or storage as `get` reads (or from storage itself with `stored`). */
  getJson<T>(key: string, stored = false): T | undefined {
    try {
      const text = stored ? this.stored(key) : this.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch {
      return undefined;
    }
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }

  setPersistent(persistent: boolean): void {
    if (persistent === this.#persistent) return;
    if (persistent) {
      this.#persistent = true;
      const pending = [...this.#memory];
      this.#memory.clear();
      for (const [key, value] of pending) this.set(key, value);
    } else {
      for (const key of this.#ownKeys()) {
        const value = this.stored(key);
        if (value !== undefined) this.#memory.set(key, value);
      }
      this.#removeStored();
      this.#persistent = false;
    }
  }

  /** Forgets everything: memory and every key under the prefix in storage, whoever wrote it. */
  clear(): void {
    this.#memory.clear();
    this.#removeStored();
  }

  #removeStored(): void {
    for (const key of this.#ownKeys()) this.#attempt(() => this.#backing?.removeItem(this.#prefix + key));
  }

  #ownKeys(): string[] {
    const keys: string[] = [];
    this.#attempt(() => {
      for (let index = 0; index < (this.#backing?.length ?? 0); index++) {
        const key = this.#backing!.key(index);
        if (key?.startsWith(this.#prefix)) keys.push(key.slice(this.#prefix.length));
      }
    });
    return keys;
  }

  #attempt<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch {
      return undefined;
    }
  }
}
