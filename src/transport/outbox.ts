/** Frames waiting for their answer: messages until acked, requests until answered, in send order. */
import type { ClientFrame, ClientFrameOf, DataReplyType, ServerFrameOf } from '../protocol/index.js';

type MessageFrame = ClientFrameOf<'message.send'>;
type Reply = ServerFrameOf<'message.ack'> | ServerFrameOf<'ok'> | ServerFrameOf<DataReplyType>;

/** An unacknowledged message, as `pending()` lists it. */
export interface PendingMessage {
  clientId: string;
  conversationId?: string;
  body: string;
}

interface Entry {
  frame: ClientFrame;
  promise: Promise<Reply>;
  resolve(reply: Reply): void;
  reject(error: unknown): void;
}

const messageKey = (clientId: string) => `m:${clientId}`;
const requestKey = (ref: string) => `r:${ref}`;

/**
 * Keeps every frame that expects an answer until the answer comes, in the order they were first
 * sent, so that after a reconnect they are resent in that order with the same ids (a message
 * followed by "end conversation" must not arrive the other way round). Each entry settles once:
 * a second ack for a resent message finds nothing and is ignored.
 *
 * @example
 * const outbox = new Outbox();
 * const acked = outbox.add({ type: 'message.send', clientId: 'm_1', body: 'Hi' });
 * outbox.settle({ type: 'message.ack', clientId: 'm_1', conversationId: 'c1', seq: 4, id: 'x', at: 0 }); // resolves acked
 */
export class Outbox {
  readonly #entries = new Map<string, Entry>();

  /**
   * Adds a frame and returns the promise its answer settles. Adding a frame whose id already
   * waits returns the promise of the first one, so a caller's own retry settles exactly once too.
   */
  add<R extends Reply>(frame: MessageFrame | Extract<ClientFrame, { ref: string }>): Promise<R> {
    const key = keyOf(frame);
    const waiting = this.#entries.get(key);
    if (waiting) return waiting.promise as Promise<R>;
    let settle!: Pick<Entry, 'resolve' | 'reject'>;
    const promise = new Promise<Reply>((resolve, reject) => (settle = { resolve, reject }));
    this.#entries.set(key, { frame, promise, ...settle });
    return promise as Promise<R>;
  }

  /** Whether this frame is waiting (a resend with the same id would not be a new entry). */
  has(frame: ClientFrame): boolean {
    return this.#entries.has(keyOf(frame));
  }

  /** Resolves the entry a reply answers; false if none waits (a duplicate or someone else's). */
  settle(reply: Reply): boolean {
    const key = reply.type === 'message.ack' ? messageKey(reply.clientId) : requestKey(reply.ref);
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    entry.resolve(reply);
    return true;
  }

  /** Rejects the entry an error frame names by `ref` or `clientId`; false if none waits. */
  fail(ids: { ref?: string; clientId?: string }, error: unknown): boolean {
    const key =
      ids.ref !== undefined ? requestKey(ids.ref) : ids.clientId !== undefined ? messageKey(ids.clientId) : undefined;
    const entry = key === undefined ? undefined : this.#entries.get(key);
    if (key === undefined || !entry) return false;
    this.#entries.delete(key);
    entry.reject(error);
    return true;
  }

  /** Every waiting frame in first-sent order. */
  frames(): ClientFrame[] {
    return [...this.#entries.values()].map((entry) => entry.frame);
  }

  /** The waiting messages, oldest first. */
  messages(): PendingMessage[] {
    const messages: PendingMessage[] = [];
    for (const { frame } of this.#entries.values()) {
      if (frame.type !== 'message.send') continue;
      const { clientId, conversationId, body } = frame;
      messages.push(conversationId === undefined ? { clientId, body } : { clientId, conversationId, body });
    }
    return messages;
  }

  /** Rejects everything (the client closed for good). */
  rejectAll(error: unknown): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) entry.reject(error);
  }
}

function keyOf(frame: ClientFrame): string {
  if (frame.type === 'message.send') return messageKey(frame.clientId);
  if ('ref' in frame) return requestKey(frame.ref);
  throw new TypeError(`a ${frame.type} frame expects no answer`);
}
