/** The current time as a hook that re-renders while the component is shown. */
import { useEffect, useState } from 'preact/hooks';

/**
 * Returns `Date.now()` and renders again every `intervalMs`.
 *
 * @example
 * const now = useNow(15_000);
 * return <span>{formatWait(now - item.since)}</span>;
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
