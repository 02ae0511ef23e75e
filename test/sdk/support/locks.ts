/**
 * An in-memory Web Locks manager shared by the "tabs" of one test, as the browser shares
 * `navigator.locks` between a site's tabs: exclusive locks, granted in request order, held until
 * the callback's promise settles, and a waiting request can be aborted.
 */
import type { LockManagerLike } from '../../../src/transport/index.js';

export function sharedLocks(): LockManagerLike {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();

  const grantNext = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next();
  };

  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        let granted = false;
        const run = () => {
          granted = true;
          held.add(name);
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => {
              held.delete(name);
              grantNext(name);
            });
        };
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        options.signal?.addEventListener('abort', () => {
          if (granted) return;
          const index = queue.indexOf(run);
          if (index !== -1) queue.splice(index, 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
        if (held.has(name) || queue.length > 0) queue.push(run);
        else queueMicrotask(run);
      });
    },
  };
}
