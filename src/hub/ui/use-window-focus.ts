/** Tells the store whether the agent is looking at the Hub, so unread counts and alerts are right. */
import { useEffect } from 'preact/hooks';
import type { ConsoleStore } from '../state/console-store.js';

/**
 * Follows window focus and page visibility.
 *
 * @example
 * useWindowFocus(store);
 */
export function useWindowFocus(store: ConsoleStore): void {
  useEffect(() => {
    const update = () => {
      store.setFocused(document.visibilityState !== 'hidden' && document.hasFocus());
    };
    update();
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, [store]);
}
