/** Asks before ending a chat: ending is final for the visitor. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { visitorLabel, type Chat } from '../state/chat.js';
import { useStore } from './contexts.js';
import { Dialog } from './dialog.js';

/**
 * "End the chat?" with End chat (focused, so Enter confirms) and Cancel.
 *
 * @example
 * <EndChatDialog chat={chat} onClose={() => (ui.confirmEnd.value = undefined)} />
 */
export function EndChatDialog({ chat, onClose }: { chat: Chat; onClose: () => void }): JSX.Element {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const end = async () => {
    setBusy(true);
    setError(undefined);
    const result = await store.end(chat.id);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.message);
  };
  return (
    <Dialog
      title={`End the chat with ${visitorLabel(chat.visitor)}?`}
      role="alertdialog"
      describedBy="end-chat-text"
      onClose={onClose}
    >
      <p id="end-chat-text">The visitor will see that the chat has ended and may rate it.</p>
      <p class="inline-error" role="alert">
        {error ?? ''}
      </p>
      <div class="dialog-actions">
        <button type="button" class="button button-danger" data-autofocus disabled={busy} onClick={() => void end()}>
          {busy ? 'Ending…' : 'End chat'}
        </button>
        <button type="button" class="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
