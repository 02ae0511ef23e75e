/** Call-me requests: the number to call, the page the visitor was on, when they asked; marked done once called. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { CallMeRequest } from '../../protocol/index.js';
import { useStore } from './contexts.js';
import { formatTime, formatWait, isoTime } from './format.js';
import { SafeLink } from './safe-link.js';
import { useNow } from './use-now.js';

/** Open requests first (oldest waiting on top), then the ones done in this session. */
function ordered(requests: CallMeRequest[]): CallMeRequest[] {
  const open = requests.filter((request) => request.doneAt === undefined).sort((a, b) => a.at - b.at);
  const done = requests.filter((request) => request.doneAt !== undefined);
  return [...open, ...done];
}

/**
 * The call-me inbox.
 *
 * @example
 * <CallMeInbox />
 */
export function CallMeInbox(): JSX.Element {
  const store = useStore();
  const now = useNow(30_000);
  const requests = ordered(store.callMe.value);
  const [error, setError] = useState<string | undefined>(undefined);
  const markDone = async (id: string) => {
    setError(undefined);
    const result = await store.markCallMeDone(id);
    if (!result.ok) setError(result.message);
  };
  return (
    <section class="inbox" aria-labelledby="callme-heading">
      <h2 id="callme-heading" class="page-heading">
        Call-me requests
      </h2>
      <p class="inline-error" role="alert">
        {error ?? ''}
      </p>
      {requests.length === 0 ? (
        <p class="empty">No call-me requests.</p>
      ) : (
        <ul class="inbox-list">
          {requests.map((request) => (
            <li key={request.id} class={`inbox-item${request.doneAt !== undefined ? ' is-done' : ''}`}>
              <p class="inbox-title">
                <span class="visually-hidden">Phone: </span>
                <span class="phone">{request.phone}</span>
              </p>
              <p class="inbox-meta">
                Asked <time dateTime={isoTime(request.at)}>{formatTime(request.at, now)}</time> (
                {formatWait(now - request.at)} ago)
                {request.page && (
                  <>
                    {' '}
                    from <SafeLink href={request.page} />
                  </>
                )}
              </p>
              {request.doneAt !== undefined ? (
                <p class="tag tag-done">Done at {formatTime(request.doneAt, now)}</p>
              ) : (
                <button
                  type="button"
                  class="button button-small button-primary"
                  aria-label={`Mark done: call ${request.phone}`}
                  onClick={() => void markDone(request.id)}
                >
                  Mark done
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
