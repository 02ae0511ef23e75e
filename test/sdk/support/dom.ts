/**
 * A happy-dom page for integration tests that also run the real server in the same process.
 * The `happy-dom` vitest environment would replace Node's URL, fetch, Request and Response with
 * happy-dom's, which the server (hono, fileURLToPath) cannot use; so these tests stay in Node's
 * environment and get the page's DOM globals (document, window events, history, storage) from a
 * happy-dom Window installed here, while fetch, URL and WebSocket stay Node's.
 */
import { Window } from 'happy-dom';

/** The page's origin, which the harness's widget allows. */
export const pageOrigin = 'http://allowed.test';

const pageGlobals = [
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'Element',
  'Node',
  'Text',
  'Event',
  'CustomEvent',
  'StorageEvent',
  'KeyboardEvent',
  'MouseEvent',
  'FocusEvent',
  'PointerEvent',
  'InputEvent',
  'SubmitEvent',
  'ShadowRoot',
  'DocumentFragment',
  'CSSStyleSheet',
  'MutationObserver',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
] as const;

export interface Page {
  window: Window;
  /** Removes the globals and closes the window. */
  close(): Promise<void>;
}

/**
 * Installs a happy-dom page at `http://allowed.test/<path>` as the process's DOM.
 *
 * @example
 * const page = installPage('/pricing');
 * // ... createChat(...)
 * await page.close();
 */
export function installPage(path = '/'): Page {
  const window = new Window({ url: `${pageOrigin}${path}` });
  const target = globalThis as Record<string, unknown>;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const name of [...pageGlobals, 'window']) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    const value = name === 'window' ? window : (window as unknown as Record<string, unknown>)[name];
    Object.defineProperty(globalThis, name, {
      value: typeof value === 'function' && /^[a-z]/.test(name) ? (value as () => unknown).bind(window) : value,
      configurable: true,
      writable: true,
    });
  }
  return {
    window,
    async close() {
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(globalThis, name, descriptor);
        else delete target[name];
      }
      await window.happyDOM.close();
    },
  };
}
