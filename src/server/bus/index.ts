/**
 * Cross-connection fan-out. Delivery is at-most-once and only a wake-up: every subscriber that
 * sees a gap in a conversation's sequence backfills from the store, which stays the record.
 * The default is in-process; a multi-node bus (Redis pub/sub) implements the same interface.
 */
import type { ServerFrame } from '../../protocol/index.js';

/** What travels on the bus: a frame for the topic's peers, or a control event for the gateway. */
export type BusEvent =
  | { kind: 'frame'; frame: ServerFrame }
  | { kind: 'join'; conversationId: string }
  | { kind: 'leave'; conversationId: string }
  | { kind: 'session-ended'; reason: 'logout' | 'cleared' | 'expired' };

export type BusHandler = (event: BusEvent) => void;

export interface Bus {
  publish(topic: string, event: BusEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: BusHandler): () => void;
}

/** Topic names in one place, so publishers and subscribers cannot drift apart. */
export const topics = {
  conversation: (id: string) => `conversation:${id}`,
  /** All agents of an account: queue, presence, call-me and offline inboxes. */
  agents: (accountId: string) => `agents:${accountId}`,
  /** One agent's tabs: assignments and status. */
  agent: (id: string) => `agent:${id}`,
  /** One visitor's tabs: conversations they open. */
  visitor: (id: string) => `visitor:${id}`,
  /** Visitors of a widget: availability. */
  widget: (id: string) => `widget:${id}`,
  session: (id: string) => `session:${id}`,
};

export function createInProcessBus(): Bus {
  const handlers = new Map<string, Set<BusHandler>>();
  return {
    publish(topic, event) {
      for (const handler of handlers.get(topic) ?? []) {
        try {
          handler(event);
        } catch (error) {
          // One broken subscriber must never stop delivery to the others.
          console.error(`bus handler for ${topic} failed`, error);
        }
      }
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0) handlers.delete(topic);
      };
    },
  };
}
