/** What the console's components share: the store of this login, the console's own UI state, and the alerts. */
import { signal, type Signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Alerts } from '../browser/alerts.js';
import type { ConsoleStore } from '../state/console-store.js';

/** Dialogs the keyboard shortcuts can open, wherever the focus is. */
export interface ConsoleUi {
  /** The chat whose "End chat?" confirmation is open. */
  confirmEnd: Signal<string | undefined>;
  /** The chat whose transfer dialog is open. */
  transfer: Signal<string | undefined>;
  /** Whether the keyboard shortcuts help is open. */
  help: Signal<boolean>;
}

/**
 * Fresh UI state for one console.
 *
 * @example
 * const ui = createConsoleUi();
 * ui.help.value = true;
 */
export function createConsoleUi(): ConsoleUi {
  return { confirmEnd: signal(undefined), transfer: signal(undefined), help: signal(false) };
}

export const StoreContext = createContext<ConsoleStore | undefined>(undefined);
export const ConsoleUiContext = createContext<ConsoleUi | undefined>(undefined);
export const AlertsContext = createContext<Alerts | undefined>(undefined);

/**
 * The store of the current login.
 *
 * @example
 * const store = useStore();
 * const waiting = store.queue.value.length;
 */
export function useStore(): ConsoleStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore() needs a StoreContext provider');
  return store;
}

/**
 * The console's dialogs state.
 *
 * @example
 * const ui = useConsoleUi();
 * ui.confirmEnd.value = chat.id;
 */
export function useConsoleUi(): ConsoleUi {
  const ui = useContext(ConsoleUiContext);
  if (!ui) throw new Error('useConsoleUi() needs a ConsoleUiContext provider');
  return ui;
}
