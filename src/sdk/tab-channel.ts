/** Messages between the tabs of one site that show the same widget (BroadcastChannel). */

/** What one tab tells the others. `c` is a conversation id, `s` a sequence number. */
export type TabMessage =
  | { t: 'consent'; v: 'granted' | 'denied' }
  | { t: 'session' }
  | { t: 'cleared' }
  | { t: 'read'; c: string; s: number }
  | { t: 'emitted'; c: string; s: number };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

/** Only well-formed messages pass: another tab may run another version of the widget. */
function isTabMessage(data: unknown): data is TabMessage {
  const message = data as Partial<Record<'t' | 'v' | 'c' | 's', unknown>> | null;
  switch (typeof message === 'object' && message !== null ? message.t : undefined) {
    case 'consent':
      return message!.v === 'granted' || message!.v === 'denied';
    case 'session':
    case 'cleared':
      return true;
    case 'read':
    case 'emitted':
      return typeof message!.c === 'string' && typeof message!.s === 'number';
    default:
      return false;
  }
}

/**
 * Opens the channel named `name` (same origin only, by the browser's rules) and hands each valid
 * message from another tab to `receive`. Without BroadcastChannel the tabs simply stay independent.
 *
 * @example
 * const tabs = openTabChannel('parley:w1', BroadcastChannel, (message) => console.log(message));
 * tabs.post({ t: 'session' });
 */
export function openTabChannel(
  name: string,
  Channel: typeof BroadcastChannel | undefined,
  receive: (message: TabMessage) => void,
): TabChannel {
  let channel: BroadcastChannel | undefined;
  try {
    channel = Channel ? new Channel(name) : undefined;
  } catch {
    channel = undefined;
  }
  if (channel) {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (isTabMessage(event.data)) receive(event.data);
    };
  }
  return {
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel: the other tabs learn the same from the server.
      }
    },
    close() {
      channel?.close();
      channel = undefined;
    },
  };
}
