/**
 * Which tab speaks for all of them: the one holding a Web Lock, handed on when that tab closes.
 * The widget's tabs share one visitor session and the Hub's tabs one agent, so both pick the one
 * tab that plays sounds and shows notifications this way.
 */

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/**
 * Asks for the lock `name` and calls `onLead` once this tab holds it. The lock is held until the
 * returned function is called or the tab goes away; the browser then grants it to the next tab
 * waiting. Without Web Locks (older browsers) every tab leads, so no tab stays silent.
 *
 * @example
 * const resign = requestLeadership(navigator.locks, 'parley:w1:leader', () => (leading = true));
 * resign(); // on clearAll, denied consent or destroy
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
