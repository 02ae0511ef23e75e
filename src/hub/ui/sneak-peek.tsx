/** The visitor's typing indicator and the text they have not sent yet (sneak peek). */
import type { JSX } from 'preact';
import { visitorLabel, type Chat } from '../state/chat.js';

/**
 * Shown while the visitor types; their draft appears as they write it. It is not a live region:
 * announcing every keystroke would drown the screen reader.
 *
 * @example
 * <SneakPeek chat={chat} />
 */
export function SneakPeek({ chat }: { chat: Chat }): JSX.Element | null {
  if (!chat.visitorTyping) return null;
  return (
    <section class="sneak-peek" aria-label="Sneak peek">
      <p class="sneak-peek-who">
        <span class="typing-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
        {visitorLabel(chat.visitor)} is typing
      </p>
      {chat.sneakPeek && <p class="sneak-peek-draft">{chat.sneakPeek}</p>}
    </section>
  );
}
