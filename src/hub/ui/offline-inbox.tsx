/** Messages visitors left while no agent was online: who, what, from which page; marked handled once answered. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { OfflineRequest } from '../../protocol/index.js';
import { useStore } from './contexts.js';
import { formatTime, isoTime } from './format.js';
import { MessageText } from './message-text.js';
import { SafeLink } from './safe-link.js';
import { useNow } from './use-now.js';

/** Open messages first (oldest on top), then the ones handled in this session. */
function ordered(requests: OfflineRequest[]): OfflineRequest[] {
  const open = requests.filter((request) => request.handledAt === undefined).sort((a, b) => a.at - b.at);
  const handled = requests.filter((request) => request.handledAt !== undefined);
  return [...open, ...handled];
}

/**
 * The offline-message inbox.
 *
 * @example
 * <OfflineInbox />
 */
export function OfflineInbox(): JSX.Element {
  const store = useStore();
  const now = useNow(30_000);
  const requests = ordered(store.offline.value);
  const [error, setError] = useState<string | undefined>(undefined);
  const markHandled = async (id: string) => {
    setError(undefined);
    const result = await store.markOfflineHandled(id);
    if (!result.ok) setError(result.message);
  };
  return (
    <section class="inbox" aria-labelledby="offline-heading">
      <h2 id="offline-heading" class="page-heading">
        Offline messages
      </h2>
      <p class="inline-error" role="alert">
        {error ?? ''}
      </p>
      {requests.length === 0 ? (
        <p class="empty">No offline messages.</p>
      ) : (
        <ul class="inbox-list">
          {requests.map((request) => {
            const from = request.name ? `${request.name} <${request.email}>` : request.email;
            return (
              <li key={request.id} class={`inbox-item${request.handledAt !== undefined ? ' is-done' : ''}`}>
                <p class="inbox-title">{from}</p>
                <p class="inbox-body">
                  <MessageText text={request.body} />
                </p>
                <p class="inbox-meta">
                  Sent <time dateTime={isoTime(request.at)}>{formatTime(request.at, now)}</time>
                  {request.page && (
                    <>
                      {' '}
                      from <SafeLink href={request.page} />
                    </>
                  )}
                </p>
                {request.handledAt !== undefined ? (
                  <p class="tag tag-done">Handled at {formatTime(request.handledAt, now)}</p>
                ) : (
                  <button
                    type="button"
                    class="button button-small button-primary"
                    aria-label={`Mark handled: message from ${from}`}
                    onClick={() => void markHandled(request.id)}
                  >
                    Mark handled
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
