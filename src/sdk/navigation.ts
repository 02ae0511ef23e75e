/** Page changes of single-page apps, seen through the History API instead of polling `location`. */

const wrapped = Symbol.for('parley.history');
const navigateEvent = 'parley:navigate';

/**
 * Calls `onChange` whenever the page's URL changes: `history.pushState` / `replaceState` (wrapped
 * once per page, even with two copies of the widget) and back/forward (`popstate`). Returns the
 * function that stops watching.
 *
 * @example
 * const stop = watchNavigation(() => sendPage(location.href));
 */
export function watchNavigation(onChange: () => void): () => void {
  const page = window as Window & { [wrapped]?: true };
  if (!page[wrapped]) {
    page[wrapped] = true;
    for (const method of ['pushState', 'replaceState'] as const) {
      // Bound to the wrapper in place now, so a router's or another tool's wrapper keeps working.
      const original = history[method].bind(history);
      history[method] = (...args: Parameters<History['pushState']>) => {
        original(...args);
        dispatchEvent(new Event(navigateEvent));
      };
    }
  }
  let last = location.href;
  const check = () => {
    if (location.href === last) return;
    last = location.href;
    onChange();
  };
  addEventListener('popstate', check);
  addEventListener(navigateEvent, check);
  return () => {
    removeEventListener('popstate', check);
    removeEventListener(navigateEvent, check);
  };
}
