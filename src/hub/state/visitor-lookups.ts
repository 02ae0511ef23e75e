/** Visitor details looked up for the panel beside a chat, kept per visitor while the agent is logged in. */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { VisitorDetails } from '../../protocol/index.js';
import type { ParleyClient } from '../../transport/index.js';
import { failure } from './action-result.js';

export type VisitorLookup =
  | { state: 'loading'; details?: VisitorDetails }
  | { state: 'ready'; details: VisitorDetails }
  | { state: 'failed'; message: string; details?: VisitorDetails };

export interface VisitorLookups {
  readonly visitors: ReadonlySignal<ReadonlyMap<string, VisitorLookup>>;
  /** Fetches fresh details; the last ones stay shown while loading or after a failure. */
  load(visitorId: string): Promise<void>;
}

/**
 * Creates the visitor lookups of one login.
 *
 * @example
 * const lookups = createVisitorLookups(client);
 * await lookups.load('v1');
 * lookups.visitors.value.get('v1'); // { state: 'ready', details: { name: 'Ana', … } }
 */
export function createVisitorLookups(client: Pick<ParleyClient, 'request'>): VisitorLookups {
  const visitors = signal<ReadonlyMap<string, VisitorLookup>>(new Map());
  const put = (visitorId: string, lookup: VisitorLookup) =>
    (visitors.value = new Map(visitors.value).set(visitorId, lookup));

  return {
    visitors,
    async load(visitorId) {
      const previous = visitors.value.get(visitorId)?.details;
      put(visitorId, previous ? { state: 'loading', details: previous } : { state: 'loading' });
      try {
        const reply = await client.request({ type: 'visitor.get', visitorId });
        put(visitorId, { state: 'ready', details: reply.visitor });
      } catch (error) {
        const result = failure(error, { not_found: 'This visitor’s details are no longer stored.' });
        const message = result.ok ? '' : result.message;
        put(visitorId, previous ? { state: 'failed', message, details: previous } : { state: 'failed', message });
      }
    },
  };
}
