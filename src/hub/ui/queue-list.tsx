/** Waiting chats, oldest first, with how long each has waited and the first message; each can be taken. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { visitorLabel } from '../state/chat.js';
import { useStore } from './contexts.js';
import { formatWait, isoTime } from './format.js';
import { useNow } from './use-now.js';
import { VerifiedBadge } from './verified-badge.js';

/**
 * The queue, refreshed by the server; wait times tick every 15 seconds.
 *
 * @example
 * <QueueList />
 */
export function QueueList(): JSX.Element {
  const store = useStore();
  const items = store.queue.value;
  const now = useNow(15_000);
  const [taking, setTaking] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const take = async (conversationId: string) => {
    setTaking(conversationId);
    setError(undefined);
    const result = await store.take(conversationId);
    setTaking(undefined);
    if (!result.ok) setError(result.message);
  };

  return (
    <div>
      {items.length === 0 ? (
        <p class="empty">No one is waiting.</p>
      ) : (
        <ul class="queue">
          {items.map((item) => {
            const name = visitorLabel(item.visitor);
            return (
              <li key={item.conversationId} class="queue-item">
                <div class="queue-line">
                  <span class="queue-name">{name}</span>
                  <VerifiedBadge verified={item.visitor.verified} />
                  <span class="queue-wait">
                    waiting <time dateTime={isoTime(item.since)}>{formatWait(now - item.since)}</time>
                  </span>
                </div>
                {item.firstMessage && <p class="queue-first">{item.firstMessage}</p>}
                <button
                  type="button"
                  class="button button-small button-primary"
                  aria-label={`Take chat with ${name}`}
                  disabled={taking === item.conversationId}
                  onClick={() => void take(item.conversationId)}
                >
                  {taking === item.conversationId ? 'Taking…' : 'Take'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p class="inline-error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}
