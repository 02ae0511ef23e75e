/** The call-me and offline-message inboxes: open requests listed at each welcome, kept live by the server's frames. */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { CallMeRequest, OfflineRequest } from '../../protocol/index.js';
import type { ParleyClient } from '../../transport/index.js';
import { attempt, type ActionResult } from './action-result.js';

export interface Inboxes {
  /** Newest first. */
  readonly callMe: ReadonlySignal<CallMeRequest[]>;
  /** Newest first. */
  readonly offline: ReadonlySignal<OfflineRequest[]>;
  /** A new or updated request from the server (`callme` / `offline` frames). */
  putCallMe(request: CallMeRequest): void;
  putOffline(request: OfflineRequest): void;
  /** Lists the open requests again (after each welcome); ones done elsewhere meanwhile drop out. */
  refresh(): Promise<void>;
  markCallMeDone(id: string): Promise<ActionResult>;
  markOfflineHandled(id: string): Promise<ActionResult>;
}

const byNewest = <T extends { at: number }>(items: Iterable<T>) => [...items].sort((a, b) => b.at - a.at);

/**
 * Creates the inboxes of one login.
 *
 * @example
 * const inboxes = createInboxes(client);
 * client.on('callme', (frame) => inboxes.putCallMe(frame.request));
 * await inboxes.refresh();
 */
export function createInboxes(client: Pick<ParleyClient, 'request'>): Inboxes {
  const callMeById = signal<ReadonlyMap<string, CallMeRequest>>(new Map());
  const offlineById = signal<ReadonlyMap<string, OfflineRequest>>(new Map());

  return {
    callMe: computed(() => byNewest(callMeById.value.values())),
    offline: computed(() => byNewest(offlineById.value.values())),

    putCallMe(request) {
      callMeById.value = new Map(callMeById.value).set(request.id, request);
    },

    putOffline(request) {
      offlineById.value = new Map(offlineById.value).set(request.id, request);
    },

    async refresh() {
      const [calls, messages] = await Promise.allSettled([
        client.request({ type: 'requests.list', kind: 'callme', open: true }),
        client.request({ type: 'requests.list', kind: 'offline', open: true }),
      ]);
      batch(() => {
        if (calls.status === 'fulfilled') {
          const next = new Map([...callMeById.value].filter(([, request]) => request.doneAt !== undefined));
          for (const request of calls.value.callme ?? []) next.set(request.id, request);
          callMeById.value = next;
        }
        if (messages.status === 'fulfilled') {
          const next = new Map([...offlineById.value].filter(([, request]) => request.handledAt !== undefined));
          for (const request of messages.value.offline ?? []) next.set(request.id, request);
          offlineById.value = next;
        }
      });
    },

    markCallMeDone(id) {
      return attempt(() => client.request({ type: 'callme.done', id }), {
        not_found: 'This call-me request no longer exists.',
      });
    },

    markOfflineHandled(id) {
      return attempt(() => client.request({ type: 'offline.handled', id }), {
        not_found: 'This offline message no longer exists.',
      });
    },
  };
}
