/** Which Hub tab speaks for all of them: the one holding a Web Lock, handed on when it closes. */

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/**
 * Waits for the lock `name` and calls `onLead` once this tab holds it; the lock is held until the
 * returned function is called or the tab goes away. Without Web Locks every tab leads, and the
 * notifications' shared tag still keeps the desktop to one per event.
 *
 * @example
 * const resign = requestLeadership(navigator.locks, 'parley-hub-alerts', () => (leading = true));
 */
export function requestLeadership(locks: LockManagerLike | undefined, name: string, onLead: () => void): () => void {
  if (!locks) {
    onLead();
    return () => undefined;
  }
  const waiting = new AbortController();
  let release: (() => void) | undefined;
  locks
    .request(name, { signal: waiting.signal }, () => new Promise<void>((resolve) => ((release = resolve), onLead())))
    .catch(() => undefined);
  return () => {
    waiting.abort();
    release?.();
  };
}
