// hub: the agent console, a Preact app served at /hub.
// May import: transport, protocol (and preact, @preact/signals).
import { render } from 'preact';
import { createAlerts, type NotificationApi } from './browser/alerts.js';
import type { LockManagerLike } from '../transport/index.js';
import { createTabFocus } from './browser/tab-focus.js';
import { playChime } from './browser/tone.js';
import { createHub } from './state/hub.js';
import type { StorageLike } from './state/saved-session.js';
import { openTabChannel, type BroadcastChannelConstructor } from './state/tab-channel.js';
import { App } from './ui/app.js';

/** Storage may be blocked (privacy settings); the Hub then keeps the session in memory only. */
function localStorageOrNone(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Starts the Hub in this page: the session, the tab channel, the alerts, and the UI in `#hub`.
 *
 * @example
 * startHub(document.getElementById('hub')!);
 */
export function startHub(root: HTMLElement): void {
  const tabs = openTabChannel(
    'parley-hub',
    (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel,
  );
  const hasFocus = () => document.visibilityState !== 'hidden' && document.hasFocus();
  const focus = createTabFocus(tabs, hasFocus());
  const updateFocus = () => focus.set(hasFocus());
  window.addEventListener('focus', updateFocus);
  window.addEventListener('blur', updateFocus);
  document.addEventListener('visibilitychange', updateFocus);
  window.addEventListener('pagehide', () => focus.set(false));

  const alerts = createAlerts({
    focus,
    locks: (navigator as { locks?: LockManagerLike }).locks,
    Notification: (globalThis as { Notification?: NotificationApi }).Notification,
    playSound: playChime,
    bringForward: () => window.focus(),
  });
  const hub = createHub({
    url: location.origin,
    fetch: (url, init) => fetch(url, init),
    storage: localStorageOrNone(),
    tabs,
    focused: hasFocus,
  });
  hub.resume();
  render(<App hub={hub} alerts={alerts} />, root);
}

const root = document.getElementById('hub');
if (root) startHub(root);
