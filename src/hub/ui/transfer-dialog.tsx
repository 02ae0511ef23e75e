/** Hands a chat to another online agent, with an optional note they see in the chat. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { visitorLabel, type Chat } from '../state/chat.js';
import { useStore } from './contexts.js';
import { Dialog } from './dialog.js';

/**
 * Lists only agents who are online now; transferring closes the dialog.
 *
 * @example
 * <TransferDialog chat={chat} onClose={() => (ui.transfer.value = undefined)} />
 */
export function TransferDialog({ chat, onClose }: { chat: Chat; onClose: () => void }): JSX.Element {
  const store = useStore();
  const targets = store.transferTargets.value;
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const chosen = targets.find((agent) => agent.id === target);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosen) return setError('Pick an agent to transfer to.');
    setBusy(true);
    setError(undefined);
    const result = await store.transfer(chat.id, chosen.id, note);
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.message);
  };

  return (
    <Dialog title={`Transfer the chat with ${visitorLabel(chat.visitor)}`} onClose={onClose}>
      {targets.length === 0 ? (
        <>
          <p>No other agent is online right now.</p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <fieldset class="agent-choices">
            <legend>Transfer to</legend>
            {targets.map((agent) => (
              <label key={agent.id} class="agent-choice">
                <input
                  type="radio"
                  name="transfer-target"
                  value={agent.id}
                  checked={target === agent.id}
                  onChange={() => setTarget(agent.id)}
                />
                {agent.name}
              </label>
            ))}
          </fieldset>
          <label for="transfer-note">Note for the next agent (optional)</label>
          <textarea
            id="transfer-note"
            rows={3}
            maxLength={500}
            value={note}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
          <p class="inline-error" role="alert">
            {error ?? ''}
          </p>
          <div class="dialog-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Transferring…' : 'Transfer'}
            </button>
            <button type="button" class="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
