/**
 * Desktop notifications and the chime for new chats and messages: one per event for the whole
 * browser (only the leading tab alerts), and only while no Hub tab has focus.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Attention, ConsoleStore } from '../state/console-store.js';
import { requestLeadership, type LockManagerLike } from '../../transport/index.js';
import type { TabFocus } from './tab-focus.js';

export type PermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** The part of the Notification API used here. */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): { onclick: ((event: Event) => void) | null; close(): void };
}

export interface AlertsOptions {
  focus: TabFocus;
  locks: LockManagerLike | undefined;
  Notification: NotificationApi | undefined;
  playSound: () => void;
  /** Brings this window forward (a notification was clicked). */
  bringForward: () => void;
}

export interface Alerts {
  readonly permission: ReadonlySignal<PermissionState>;
  /** Asks for notification permission; call it from a click. */
  requestPermission(): Promise<void>;
  /** Alerts for a store's attention events; returns the function that stops. */
  attach(store: ConsoleStore): () => void;
  dispose(): void;
}

/**
 * Creates the alerts of this tab.
 *
 * @example
 * const alerts = createAlerts({ focus, locks: navigator.locks, Notification, playSound: playChime, bringForward: () => window.focus() });
 * const detach = alerts.attach(store);
 */
export function createAlerts(options: AlertsOptions): Alerts {
  const { Notification } = options;
  const permission = signal<PermissionState>(Notification ? Notification.permission : 'unsupported');
  let leading = false;
  const resign = requestLeadership(options.locks, 'parley-hub-alerts', () => (leading = true));

  function alert(store: ConsoleStore, attention: Attention): void {
    if (!leading || options.focus.anyFocused()) return;
    options.playSound();
    if (!Notification || Notification.permission !== 'granted') return;
    try {
      const notification = new Notification(attention.title, {
        body: attention.body.slice(0, 200),
        tag: attention.key,
      });
      notification.onclick = () => {
        options.bringForward();
        store.show({ kind: 'chat', id: attention.conversationId });
        notification.close();
      };
    } catch {
      // Some browsers only notify from a service worker; the chime has played.
    }
  }

  return {
    permission,
    async requestPermission() {
      if (!Notification) return;
      try {
        permission.value = await Notification.requestPermission();
      } catch {
        permission.value = Notification.permission;
      }
    },
    attach(store) {
      return store.onAttention((attention) => alert(store, attention));
    },
    dispose() {
      resign();
      options.focus.dispose();
    },
  };
}
