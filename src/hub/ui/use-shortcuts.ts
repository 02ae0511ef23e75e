/** Wires the console's keyboard shortcuts to the document while the console is shown. */
import { useEffect } from 'preact/hooks';
import type { ConsoleStore } from '../state/console-store.js';
import type { ConsoleUi } from './contexts.js';
import { shortcutFor } from './shortcuts.js';

/** The reply box of the open chat, found by its role in the DOM. */
const replyBox = () => document.querySelector<HTMLTextAreaElement>('textarea[data-reply]');

/**
 * Listens for the shortcuts on the document.
 *
 * @example
 * useShortcuts(store, ui);
 */
export function useShortcuts(store: ConsoleStore, ui: ConsoleUi): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (!action) return;
      // A dialog has the keyboard until it closes.
      if (ui.confirmEnd.value || ui.transfer.value || (ui.help.value && action !== 'help')) return;
      event.preventDefault();
      const view = store.view.value;
      const chat = view.kind === 'chat' ? store.chats.value.get(view.id) : undefined;
      switch (action) {
        case 'next-chat':
          return store.nextChat(1);
        case 'previous-chat':
          return store.nextChat(-1);
        case 'take-oldest': {
          const oldest = store.queue.value[0];
          if (oldest) void store.take(oldest.conversationId);
          return;
        }
        case 'focus-reply':
          return replyBox()?.focus();
        case 'end-chat':
          if (chat && chat.status === 'active' && chat.agent?.id === store.self.id) ui.confirmEnd.value = chat.id;
          return;
        case 'help':
          ui.help.value = !ui.help.value;
          return;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store, ui]);
}
