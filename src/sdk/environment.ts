/** What the SDK takes from the browser, gathered in one place so tests can hand in their own. */
import type { LockManagerLike, WebSocketConstructor } from '../transport/index.js';
import { widgetUi, type WidgetUi } from './widget-ui.js';

export interface ChatEnvironment {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** The WebSocket class for the transport; default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Where state goes once consent allows; undefined when the browser refuses storage. */
  storage?: Storage;
  BroadcastChannel?: typeof BroadcastChannel;
  /** Web Locks; without them every tab counts as the one that notifies. */
  locks?: LockManagerLike;
  /** Plays the new-message sound; default a short tone through Web Audio. */
  notify?: () => void;
  ui: WidgetUi;
}

/**
 * The browser's own fetch, storage, BroadcastChannel and Web Locks, and the real widget UI.
 * `localStorage` is read only when first used (opening it costs the page time before the launcher
 * shows), and reading it can itself throw (storage disabled), which leaves the chat memory-only.
 *
 * @example
 * const environment = browserEnvironment();
 */
export function browserEnvironment(): ChatEnvironment {
  const locks = (navigator as { locks?: LockManagerLike | null }).locks ?? undefined;
  return {
    // Called through globalThis: browsers refuse a fetch detached from its window.
    fetch: (url, init) => globalThis.fetch(url, init),
    get storage() {
      try {
        return window.localStorage;
      } catch {
        return undefined;
      }
    },
    BroadcastChannel: globalThis.BroadcastChannel,
    locks,
    ui: widgetUi,
  };
}
