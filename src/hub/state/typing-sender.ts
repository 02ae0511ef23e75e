/** The agent's typing indicator: sent when a reply draft starts, refreshed while it grows, stopped when idle. */

export interface TypingSender {
  /** The reply draft of a conversation changed. */
  changed(conversationId: string, draft: string): void;
  /** The agent sent or dropped the reply: the visitor stops seeing "typing". */
  stop(conversationId: string): void;
  dispose(): void;
}

interface Typing {
  sentAt: number;
  idle: ReturnType<typeof setTimeout>;
}

/**
 * Sends `typing: true` at most every `refreshMs` while a draft changes, and `typing: false` once
 * it is empty, sent, or untouched for `idleMs`.
 *
 * @example
 * const typing = createTypingSender((conversationId, typing) => client.typing({ conversationId, typing }));
 * typing.changed('c1', 'Hel'); // the visitor sees "typing"
 * typing.stop('c1');           // and no longer does
 */
export function createTypingSender(
  send: (conversationId: string, typing: boolean) => void,
  { refreshMs = 2500, idleMs = 6000, now = Date.now } = {},
): TypingSender {
  const typing = new Map<string, Typing>();

  function stop(conversationId: string): void {
    const current = typing.get(conversationId);
    if (!current) return;
    clearTimeout(current.idle);
    typing.delete(conversationId);
    send(conversationId, false);
  }

  return {
    changed(conversationId, draft) {
      if (draft.trim() === '') return stop(conversationId);
      const current = typing.get(conversationId);
      if (current) clearTimeout(current.idle);
      const idle = setTimeout(() => stop(conversationId), idleMs);
      if (!current || now() - current.sentAt >= refreshMs) {
        typing.set(conversationId, { sentAt: now(), idle });
        send(conversationId, true);
      } else {
        typing.set(conversationId, { sentAt: current.sentAt, idle });
      }
    },
    stop,
    dispose() {
      for (const { idle } of typing.values()) clearTimeout(idle);
      typing.clear();
    },
  };
}
