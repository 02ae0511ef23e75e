/** The reply box: Enter sends, Shift+Enter adds a line; the draft survives switching chats. */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { limits } from '../../protocol/index.js';
import { visitorLabel, type Chat } from '../state/chat.js';
import { useStore } from './contexts.js';

/**
 * Renders the composer of one chat and takes focus when that chat opens.
 *
 * @example
 * <Composer chat={chat} />
 */
export function Composer({ chat }: { chat: Chat }): JSX.Element {
  const store = useStore();
  const draft = store.drafts.value.get(chat.id) ?? '';
  const field = useRef<HTMLTextAreaElement>(null);
  const fieldId = `reply-${chat.id}`;
  useEffect(() => field.current?.focus(), [chat.id]);

  const send = () => {
    const body = draft.trim();
    if (body === '') return;
    void store.send(chat.id, body);
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label for={fieldId} class="visually-hidden">
        Reply to {visitorLabel(chat.visitor)}
      </label>
      <textarea
        id={fieldId}
        ref={field}
        data-reply
        rows={3}
        maxLength={limits.maxBodyChars}
        placeholder="Write a reply…"
        aria-describedby="composer-hint"
        value={draft}
        onInput={(event) => store.draftChanged(chat.id, event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey) return;
          event.preventDefault();
          send();
        }}
      />
      <div class="composer-bar">
        <span id="composer-hint" class="hint">
          Enter to send · Shift+Enter for a new line
        </span>
        <button type="submit" class="button button-primary">
          Send
        </button>
      </div>
    </form>
  );
}
