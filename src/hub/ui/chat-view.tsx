/** One chat: header with actions, the log, the visitor's sneak peek, the reply box and the visitor's details. */
import type { JSX } from 'preact';
import { isMine, visitorLabel, type Chat } from '../state/chat.js';
import { Composer } from './composer.js';
import { useConsoleUi, useStore } from './contexts.js';
import { EndChatDialog } from './end-chat-dialog.js';
import { SneakPeek } from './sneak-peek.js';
import { Timeline } from './timeline.js';
import { TransferDialog } from './transfer-dialog.js';
import { VerifiedBadge } from './verified-badge.js';
import { VisitorPanel } from './visitor-panel.js';

/** Why the agent cannot reply, for a chat that is not theirs to answer. */
function closedText(chat: Chat, selfId: string): string {
  if (chat.status === 'ended') return 'This chat has ended.';
  if (chat.status === 'queued') return 'This chat is waiting in the queue.';
  if (chat.agent && chat.agent.id !== selfId) return `${chat.agent.name} now has this chat.`;
  return 'You cannot reply in this chat.';
}

/**
 * The main view of an open chat.
 *
 * @example
 * <ChatView id="c1" />
 */
export function ChatView({ id }: { id: string }): JSX.Element {
  const store = useStore();
  const ui = useConsoleUi();
  const chat = store.chats.value.get(id);
  if (!chat) return <p class="empty">Opening the chat…</p>;
  const mine = isMine(chat, store.self.id);
  const outgoing = store.outgoing.value.filter((entry) => entry.conversationId === chat.id);
  const name = visitorLabel(chat.visitor);

  return (
    <div class="chat-layout">
      <section class="chat" aria-labelledby="chat-title">
        <header class="chat-header">
          <h2 id="chat-title" class="chat-title">
            {name}
          </h2>
          <VerifiedBadge verified={chat.visitor.verified} />
          {chat.survey && <span class="tag tag-survey">Rated {chat.survey.score}/5</span>}
          <div class="chat-actions">
            {mine ? (
              <>
                <button type="button" class="button" onClick={() => (ui.transfer.value = chat.id)}>
                  Transfer…
                </button>
                <button type="button" class="button button-danger" onClick={() => (ui.confirmEnd.value = chat.id)}>
                  End chat
                </button>
              </>
            ) : (
              chat.status !== 'queued' && (
                <button type="button" class="button" onClick={() => store.dismiss(chat.id)}>
                  Close
                </button>
              )
            )}
          </div>
        </header>
        <Timeline
          chat={chat}
          selfId={store.self.id}
          outgoing={outgoing}
          onRetry={(clientId) => void store.retry(clientId)}
          onDiscard={(clientId) => store.discard(clientId)}
        />
        <SneakPeek chat={chat} />
        {mine ? <Composer chat={chat} /> : <p class="chat-closed">{closedText(chat, store.self.id)}</p>}
      </section>
      <VisitorPanel visitorId={chat.visitor.id} />
      {ui.transfer.value === chat.id && <TransferDialog chat={chat} onClose={() => (ui.transfer.value = undefined)} />}
      {ui.confirmEnd.value === chat.id && (
        <EndChatDialog chat={chat} onClose={() => (ui.confirmEnd.value = undefined)} />
      )}
    </div>
  );
}
