/**
 * The conversation: messages grouped by author with times, pending marks, the agent's typing
 * indicator, the visitor's place in the queue, and a live region that reads new agent messages out.
 */
import type { JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatMessage, ChatViewState } from '../sdk/types.js';
import { useController } from './controller-context.js';
import { formatTime } from './format-time.js';
import { groupMessages, type GroupAuthor } from './group-messages.js';
import { MessageText } from './message-text.js';

/**
 * The scrolling message list of the chat view.
 * @example
 * <MessageList state={state} />
 */
export function MessageList({ state }: { state: ChatViewState }): JSX.Element {
  const chat = useController();
  const listRef = useRef<HTMLDivElement>(null);
  const { messages, conversation, locale } = state;
  const agentName = conversation?.agent?.name ?? chat.t('author.agent');
  const nameOf = (author: GroupAuthor, name?: string) =>
    author === 'visitor'
      ? chat.t('author.you')
      : author === 'team'
        ? chat.t('author.team')
        : (name ?? chat.t('author.agent'));

  // Only messages that arrive while the box is mounted are announced, not the history it opens with.
  const heard = useRef<{ id?: string; text: string }>();
  let lastFromTeam: ChatMessage | undefined;
  for (const message of messages) if (message.proactive || message.author.role === 'agent') lastFromTeam = message;
  if (!heard.current) heard.current = { id: lastFromTeam?.id, text: '' };
  else if (lastFromTeam && lastFromTeam.id !== heard.current.id) {
    const name = nameOf(lastFromTeam.proactive ? 'team' : 'agent', lastFromTeam.author.name);
    heard.current = { id: lastFromTeam.id, text: chat.t('live.message', { name, text: lastFromTeam.body }) };
  }

  // Keep the newest message in view; a plain jump, so reduced motion needs no special case.
  useLayoutEffect(() => {
    const list = listRef.current!;
    list.scrollTop = list.scrollHeight;
  }, [messages.length, state.agentTyping]);

  const queuePosition = conversation?.status === 'queued' ? conversation.queuePosition : undefined;
  return (
    <div class="list" ref={listRef} tabIndex={0} role="region" aria-label={chat.t('messages.label')}>
      {messages.length === 0 && <p class="greeting">{chat.t('chat.greeting')}</p>}
      <ol>
        {groupMessages(messages).map((group) => (
          <li key={group.messages[0]!.id} class={`group ${group.author}`}>
            {group.author !== 'system' && (
              <p class="meta">
                {nameOf(group.author, group.name)} ·{' '}
                <time dateTime={new Date(group.at).toISOString()}>{formatTime(group.at, locale)}</time>
              </p>
            )}
            {group.messages.map((message) => (
              <div key={message.id} class="item">
                <p class="msg">
                  <MessageText text={message.body} />
                </p>
                {message.pending && <p class="note">{chat.t('message.sending')}</p>}
              </div>
            ))}
          </li>
        ))}
      </ol>
      {state.agentTyping && (
        <p class="note typing">
          {chat.t('typing', { name: agentName })}
          <span class="dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
        </p>
      )}
      {queuePosition !== undefined && (
        <p class="queue" role="status">
          {chat.t('queue.position', { position: queuePosition })}
        </p>
      )}
      <p class="sr" aria-live="polite">
        {heard.current.text}
      </p>
    </div>
  );
}
