/** The agent's chats: open ones with their unread badge, then ended or transferred ones until closed. */
import type { JSX } from 'preact';
import { isMine, visitorLabel, type Chat } from '../state/chat.js';
import { useStore } from './contexts.js';

/** The last message, for the line under the name. */
function preview(chat: Chat): string {
  for (let index = chat.timeline.length - 1; index >= 0; index--) {
    const entry = chat.timeline[index]!;
    if (entry.type === 'message') return entry.author.role === 'agent' ? `You: ${entry.body}` : entry.body;
  }
  return '';
}

/** A short word on a chat that is no longer the agent's to answer. */
function closedLabel(chat: Chat, selfId: string): string | undefined {
  if (chat.status === 'ended') return 'Ended';
  if (chat.agent && chat.agent.id !== selfId) return `Transferred to ${chat.agent.name}`;
  return undefined;
}

/**
 * One button per chat; the open chat is marked as the current page.
 *
 * @example
 * <ChatList />
 */
export function ChatList(): JSX.Element {
  const store = useStore();
  const chats = store.chatList.value;
  const view = store.view.value;
  if (chats.length === 0) return <p class="empty">No chats yet.</p>;
  return (
    <ul class="chat-list">
      {chats.map((chat) => {
        const current = view.kind === 'chat' && view.id === chat.id;
        const closed = isMine(chat, store.self.id) ? undefined : closedLabel(chat, store.self.id);
        return (
          <li key={chat.id}>
            <button
              type="button"
              class={`chat-link${current ? ' is-current' : ''}${closed ? ' is-closed' : ''}`}
              aria-current={current ? 'page' : undefined}
              onClick={() => store.show({ kind: 'chat', id: chat.id })}
            >
              <span class="chat-link-top">
                <span class="chat-link-name">{visitorLabel(chat.visitor)}</span>
                {chat.unread > 0 && (
                  <span class="badge">
                    {chat.unread}
                    <span class="visually-hidden"> unread</span>
                  </span>
                )}
              </span>
              <span class="chat-link-preview">
                {closed ? `${closed} · ` : ''}
                {chat.visitorTyping ? 'typing…' : preview(chat)}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
