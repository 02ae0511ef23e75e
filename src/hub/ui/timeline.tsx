/** A conversation's messages and events in order, with the agent's replies still on their way. */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { SequencedFrame } from '../../protocol/index.js';
import { visitorLabel, type Chat } from '../state/chat.js';
import type { Outgoing } from '../state/console-store.js';
import { formatTime, isoTime } from './format.js';
import { MessageText } from './message-text.js';

export interface TimelineProps {
  chat: Chat;
  selfId: string;
  /** The agent's replies not in the log yet (live chats only). */
  outgoing?: Outgoing[];
  onRetry?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
}

const endedBy = { visitor: 'the visitor', agent: 'the agent', system: 'the system' } as const;

function eventText(entry: Exclude<SequencedFrame, { type: 'message' }>, chat: Chat): string {
  switch (entry.type) {
    case 'conversation.started':
      return `${visitorLabel(entry.visitor)} started the chat`;
    case 'conversation.assigned':
      return `Assigned to ${entry.agent.name}`;
    case 'conversation.transferred':
      return `${entry.from.name} transferred the chat to ${entry.to.name}${entry.note ? `. Note: ${entry.note}` : ''}`;
    case 'conversation.ended':
      return `Chat ended by ${entry.by === 'visitor' ? visitorLabel(chat.visitor) : endedBy[entry.by]}`;
    case 'survey.submitted':
      return `Visitor rated the chat ${entry.score} out of 5${entry.comment ? `: “${entry.comment}”` : ''}`;
  }
}

function authorName(entry: Extract<SequencedFrame, { type: 'message' }>, chat: Chat, selfId: string): string {
  if (entry.author.role === 'visitor') return visitorLabel(chat.visitor);
  if (entry.author.role === 'system') return 'Parley';
  return entry.author.id === selfId ? 'You' : (entry.author.name ?? 'Agent');
}

/**
 * Renders the log of a chat, keeping the newest line in view while the agent is at the bottom.
 *
 * @example
 * <Timeline chat={chat} selfId={store.self.id} outgoing={pending} />
 */
export function Timeline({ chat, selfId, outgoing = [], onRetry, onDiscard }: TimelineProps): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const count = chat.timeline.length + outgoing.length;
  useEffect(() => {
    const element = scroller.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [count, chat.id]);
  const now = Date.now();

  return (
    <div
      ref={scroller}
      class="timeline"
      role="log"
      aria-label={`Conversation with ${visitorLabel(chat.visitor)}`}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      }}
    >
      <ol class="timeline-list">
        {chat.timeline.map((entry) =>
          entry.type === 'message' ? (
            <li
              key={entry.seq}
              class={`message message-${entry.author.role}${entry.author.id === selfId ? ' message-self' : ''}`}
            >
              <div class="message-meta">
                <span class="message-author">{authorName(entry, chat, selfId)}</span>
                <time dateTime={isoTime(entry.at)}>{formatTime(entry.at, now)}</time>
              </div>
              <p class="message-body">
                <MessageText text={entry.body} />
              </p>
            </li>
          ) : (
            <li key={entry.seq} class={`event event-${entry.type.replace('.', '-')}`}>
              <span>{eventText(entry, chat)}</span>{' '}
              <time dateTime={isoTime(entry.at)}>{formatTime(entry.at, now)}</time>
            </li>
          ),
        )}
        {outgoing.map((entry) => (
          <li
            key={entry.clientId}
            class={`message message-agent message-self message-pending${entry.failed ? ' message-failed' : ''}`}
          >
            <div class="message-meta">
              <span class="message-author">You</span>
              <span>{entry.failed ? 'Not sent' : 'Sending…'}</span>
            </div>
            <p class="message-body">
              <MessageText text={entry.body} />
            </p>
            {entry.failed && (
              <p class="message-error">
                {entry.failed}{' '}
                {onRetry && (
                  <button type="button" class="button button-small" onClick={() => onRetry(entry.clientId)}>
                    Retry
                  </button>
                )}{' '}
                {onDiscard && (
                  <button type="button" class="button button-small" onClick={() => onDiscard(entry.clientId)}>
                    Discard
                  </button>
                )}
              </p>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
