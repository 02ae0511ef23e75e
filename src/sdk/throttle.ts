/** Rate-limits a stream of values to one call per interval, always ending on the latest value. */

export interface Throttle<T> {
  push(value: T): void;
  cancel(): void;
}

/**
 * Calls `run` at once for the first value, then at most once per `intervalMs` with the latest value
 * pushed meanwhile, so the last draft always goes out and a fast typist sends two frames a second.
 *
 * @example
 * const drafts = throttle(500, (draft: string) => client.typing({ typing: draft !== '', draft }));
 * input.addEventListener('input', () => drafts.push(input.value));
 */
export function throttle<T>(intervalMs: number, run: (value: T) => void): Throttle<T> {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: T;
  const flush = () => {
    timer = undefined;
    last = Date.now();
    run(latest);
  };
  return {
    push(value) {
      latest = value;
      if (timer !== undefined) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
