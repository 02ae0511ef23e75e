/** Everything known about the visitor of a chat: identity, where they are, their local time and custom data. */
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { VisitorDetails } from '../../protocol/index.js';
import { visitorLabel } from '../state/chat.js';
import { useStore } from './contexts.js';
import { formatTime, localTimeIn } from './format.js';
import { SafeLink } from './safe-link.js';
import { useNow } from './use-now.js';
import { VerifiedBadge } from './verified-badge.js';

function Row({ term, children }: { term: string; children: JSX.Element | string | undefined }): JSX.Element {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children ?? <span class="unknown">Unknown</span>}</dd>
    </>
  );
}

function Details({ details, now }: { details: VisitorDetails; now: number }): JSX.Element {
  const localTime = details.timezone ? localTimeIn(details.timezone, now) : undefined;
  const custom = Object.entries(details.custom);
  return (
    <>
      <dl class="details">
        <Row term="Name">{details.name}</Row>
        <Row term="Email">{details.email}</Row>
        <Row term="Identity">
          <VerifiedBadge verified={details.verified} showUnverified />
        </Row>
        {details.userId !== undefined && <Row term="User ID">{details.userId}</Row>}
        <Row term="Page">{details.page && <SafeLink href={details.page} />}</Row>
        <Row term="Referrer">{details.referrer && <SafeLink href={details.referrer} />}</Row>
        <Row term="Language">{details.language}</Row>
        <Row term="Local time">
          {details.timezone && (
            <span>
              {localTime ?? ''} <span class="hint">({details.timezone})</span>
            </span>
          )}
        </Row>
        <Row term="First seen">{formatTime(details.firstSeen, now)}</Row>
      </dl>
      <h3 class="subheading">Custom data</h3>
      {custom.length === 0 ? (
        <p class="empty">None</p>
      ) : (
        <dl class="details">
          {custom.map(([key, value]) => (
            <Row key={key} term={key}>
              {value === null ? '—' : String(value)}
            </Row>
          ))}
        </dl>
      )}
    </>
  );
}

/**
 * The details column beside a chat; it loads fresh details each time the chat opens.
 *
 * @example
 * <VisitorPanel visitorId={chat.visitor.id} name={visitorLabel(chat.visitor)} />
 */
export function VisitorPanel({ visitorId }: { visitorId: string }): JSX.Element {
  const store = useStore();
  const now = useNow(30_000);
  useEffect(() => void store.loadVisitor(visitorId), [store, visitorId]);
  const lookup = store.visitors.value.get(visitorId);
  const details = lookup?.details;
  return (
    <aside class="visitor-panel" aria-labelledby="visitor-heading">
      <h2 id="visitor-heading" class="section-heading">
        {details ? visitorLabel(details) : 'Visitor'}
      </h2>
      {lookup?.state === 'failed' && (
        <p class="inline-error" role="alert">
          {lookup.message}
        </p>
      )}
      {details ? <Details details={details} now={now} /> : lookup?.state === 'loading' && <p>Loading details…</p>}
      <button type="button" class="button button-small" onClick={() => void store.loadVisitor(visitorId)}>
        Refresh details
      </button>
    </aside>
  );
}
