/** Messages between the Hub tabs of one browser: a login or a logout in one reaches the others at once. */

export type TabMessage =
  | { t: 'login'; agentId: string }
  | { t: 'logout'; agentId: string; everywhere: boolean }
  | { t: 'focus'; tab: string; focused: boolean };

export interface TabChannel {
  post(message: TabMessage): void;
  /** Adds a listener for messages from the other tabs; returns the function that removes it. */
  listen(receive: (message: TabMessage) => void): () => void;
  close(): void;
}

/** A handler typed as a method, so the browser's and Node's MessageEvent handlers both fit. */
type Handler<E> = { bivariant(event: E): void }['bivariant'];

/** The part of BroadcastChannel used here; the browser's and Node's both fit. */
export type BroadcastChannelConstructor = new (name: string) => {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: Handler<{ data: unknown }> | null;
};

function isTabMessage(data: unknown): data is TabMessage {
  const message = data as Record<string, unknown> | null;
  if (typeof message !== 'object' || message === null) return false;
  switch (message.t) {
    case 'login':
      return typeof message.agentId === 'string';
    case 'logout':
      return typeof message.agentId === 'string' && typeof message.everywhere === 'boolean';
    case 'focus':
      return typeof message.tab === 'string' && typeof message.focused === 'boolean';
    default:
      return false;
  }
}

/**
 * Opens the channel `name` with a BroadcastChannel class; without one, tabs stay independent
 * (the server still closes the sockets of ended sessions).
 *
 * @example
 * const tabs = openTabChannel('parley-hub', globalThis.BroadcastChannel);
 * tabs.listen((message) => message.t === 'logout' && showLogin());
 */
export function openTabChannel(name: string, Channel: BroadcastChannelConstructor | undefined): TabChannel {
  const listeners = new Set<(message: TabMessage) => void>();
  let channel: InstanceType<BroadcastChannelConstructor> | undefined;
  try {
    channel = Channel ? new Channel(name) : undefined;
  } catch {
    channel = undefined;
  }
  if (channel) {
    channel.onmessage = (event) => {
      if (!isTabMessage(event.data)) return;
      for (const listener of [...listeners]) listener(event.data);
    };
  }
  return {
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel: nothing to tell.
      }
    },
    listen(receive) {
      listeners.add(receive);
      return () => listeners.delete(receive);
    },
    close() {
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
}
