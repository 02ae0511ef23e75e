/** The messages this page shows: each conversation's in sequence order, then the visitor's unsent ones. */
import type { ServerFrameOf } from '../protocol/index.js';
import type { ChatMessage } from './types.js';

type MessageFrame = ServerFrameOf<'message'>;
type MessageAck = ServerFrameOf<'message.ack'>;

/**
 * Keeps messages without duplicates however they arrive: the visitor's own message shows at once
 * as pending, its ack gives it a place in the sequence, and the stored frame (from this tab's
 * link, another tab's send, or a replay) replaces it instead of adding a second copy.
 *
 * @example
 * const transcript = new Transcript();
 * transcript.addPending('m_1', 'Hello');
 * transcript.accept(frame); // the stored copy of m_1 takes the pending one's place
 */
export class Transcript {
  /** Per conversation, in the order the conversations were first seen; each sorted by seq. */
  readonly #conversations = new Map<string, ChatMessage[]>();
  #pending: ChatMessage[] = [];

  addPending(clientId: string, body: string): void {
    this.#pending.push({ id: clientId, clientId, author: { role: 'visitor' }, body, at: Date.now(), pending: true });
  }

  dropPending(clientId: string): void {
    this.#pending = this.#pending.filter((message) => message.clientId !== clientId);
  }

  /** The server stored a pending message: it takes its place in the conversation. */
  acknowledge(ack: MessageAck): void {
    const message = this.#pending.find((candidate) => candidate.clientId === ack.clientId);
    if (!message) return;
    this.dropPending(ack.clientId);
    const { pending: _pending, ...stored } = message;
    this.#place({ ...stored, id: ack.id, conversationId: ack.conversationId, seq: ack.seq, at: ack.at });
  }

  accept(frame: MessageFrame): void {
    if (frame.clientId !== undefined) this.dropPending(frame.clientId);
    this.#place({
      id: frame.id,
      ...(frame.clientId === undefined ? {} : { clientId: frame.clientId }),
      conversationId: frame.conversationId,
      seq: frame.seq,
      author: { role: frame.author.role, ...(frame.author.name === undefined ? {} : { name: frame.author.name }) },
      body: frame.body,
      at: frame.at,
    });
  }

  messages(): ChatMessage[] {
    return [...[...this.#conversations.values()].flat(), ...this.#pending];
  }

  clear(): void {
    this.#conversations.clear();
    this.#pending = [];
  }

  #place(message: ChatMessage & { conversationId: string; seq: number }): void {
    let list = this.#conversations.get(message.conversationId);
    if (!list) this.#conversations.set(message.conversationId, (list = []));
    const index = list.findIndex((existing) => (existing.seq ?? 0) >= message.seq);
    if (index === -1) list.push(message);
    else if (list[index]!.seq === message.seq) list[index] = { ...list[index]!, ...message };
    else list.splice(index, 0, message);
  }
}
