/**
 * A stand-in for the transport client: tests push server frames into it as the real client would
 * emit them, and read every request, send and typing frame the Hub made (vitest mocks).
 */
import type {
  AgentInfo,
  ConversationSummary,
  SequencedFrame,
  ServerFrameOf,
  VisitorInfo,
} from '../../src/protocol/index.js';
import type {
  ClientEvents,
  ClientEventType,
  ClientState,
  MessageAck,
  ParleyClient,
  ReplyTo,
  RequestFrame,
  SendInput,
  TypingInput,
  Welcome,
} from '../../src/transport/index.js';

type Answer = (frame: RequestFrame) => unknown;

let seqCounter = 1000;

export class FakeClient implements ParleyClient {
  state: ClientState = 'idle';
  readonly transport = 'websocket' as const;
  private readonly handlers = new Map<string, Set<(payload: never) => void>>();
  private readonly answers = new Map<string, Answer>();

  /** Every request the Hub made, in order; the answer comes from `answer()` (default: `ok`). */
  readonly requestLog: RequestFrame[] = [];
  /** Every message the Hub sent. */
  readonly sent: SendInput[] = [];
  /** Every typing indicator the Hub sent. */
  readonly typed: TypingInput[] = [];
  closed = false;

  request<F extends RequestFrame>(frame: F): Promise<ReplyTo<F>> {
    this.requestLog.push(frame);
    const answer = this.answers.get(frame.type);
    const ref = `r${++seqCounter}`;
    try {
      const reply = answer ? answer(frame) : undefined;
      return Promise.resolve((reply ?? defaultReply(frame, ref)) as ReplyTo<F>);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  send(input: SendInput): Promise<MessageAck> {
    this.sent.push(input);
    return Promise.resolve({
      type: 'message.ack',
      clientId: input.clientId ?? 'x',
      conversationId: input.conversationId ?? 'c',
      seq: ++seqCounter,
      id: `m${seqCounter}`,
      at: Date.now(),
    });
  }

  typing(input: TypingInput): boolean {
    this.typed.push(input);
    return this.state === 'open';
  }

  close(): void {
    this.closed = true;
    this.setState('closed');
  }

  connect(): Promise<Welcome> {
    this.setState('connecting');
    return new Promise(() => undefined);
  }

  pending() {
    return [];
  }

  resumePoints() {
    return [];
  }

  on<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => this.off(type, handler);
  }

  off<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): void {
    this.handlers.get(type)?.delete(handler);
  }

  /** Emits an event as the real client would. */
  emit<K extends ClientEventType>(type: K, payload: ClientEvents[K]): void {
    for (const handler of [...(this.handlers.get(type) ?? [])])
      (handler as (payload: ClientEvents[K]) => void)(payload);
  }

  /** Sets how requests of one type are answered; throw to reject. */
  answer(type: RequestFrame['type'], answer: Answer): void {
    this.answers.set(type, answer);
  }

  /** The requests of one type the Hub made. */
  requests<T extends RequestFrame['type']>(type: T): Extract<RequestFrame, { type: T }>[] {
    return this.requestLog.filter((frame): frame is Extract<RequestFrame, { type: T }> => frame.type === type);
  }

  setState(state: ClientState): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.emit('state', { state, previous });
  }

  /** The link is up: state open, then the welcome. */
  welcome(self: AgentInfo, conversations: ConversationSummary[] = []): void {
    this.setState('open');
    this.emit('welcome', { type: 'welcome', v: 1, role: 'agent', self, heartbeatMs: 5000, conversations });
  }

  /** Delivers sequenced frames, in order, as `sequenced` and by type. */
  deliver(...frames: SequencedFrame[]): void {
    for (const frame of frames) {
      this.emit('sequenced', frame);
      this.emit(frame.type, frame);
    }
  }

  /** Ends the session for good as the server would: `session.ended`, then a final close. */
  endSession(reason: ServerFrameOf<'session.ended'>['reason'] = 'logout', code = 4409): void {
    this.emit('session.ended', { type: 'session.ended', reason });
    this.setState('closed');
    this.emit('closed', { code, reason: 'session ended', final: true });
  }
}

function defaultReply(frame: RequestFrame, ref: string): unknown {
  switch (frame.type) {
    case 'requests.list':
      return { type: 'requests.result', ref, [frame.kind]: [] };
    case 'transcripts.search':
      return { type: 'transcripts.result', ref, items: [], more: false };
    case 'history':
      return { type: 'history.result', ref, conversationId: frame.conversationId, frames: [], more: false };
    default:
      return { type: 'ok', ref };
  }
}

/** Builders for the frames of one conversation, with increasing sequence numbers. */
export function conversation(id: string, visitor: VisitorInfo, at = Date.now() - 60_000) {
  let seq = 0;
  const base = () => ({ conversationId: id, seq: ++seq, at: at + seq * 1000 });
  return {
    id,
    visitor,
    started: (): SequencedFrame => ({ type: 'conversation.started', ...base(), visitor }),
    visitorSays: (body: string): SequencedFrame => ({
      type: 'message',
      ...base(),
      id: `msg-${id}-${seq + 1}`,
      author: { role: 'visitor', id: visitor.id },
      body,
    }),
    agentSays: (agent: AgentInfo, body: string, clientId?: string): SequencedFrame => ({
      type: 'message',
      ...base(),
      id: `msg-${id}-${seq + 1}`,
      ...(clientId ? { clientId } : {}),
      author: { role: 'agent', id: agent.id, name: agent.name },
      body,
    }),
    assigned: (agent: AgentInfo): SequencedFrame => ({ type: 'conversation.assigned', ...base(), agent }),
    transferred: (from: AgentInfo, to: AgentInfo, note?: string): SequencedFrame => ({
      type: 'conversation.transferred',
      ...base(),
      from,
      to,
      ...(note ? { note } : {}),
    }),
    ended: (by: 'visitor' | 'agent' | 'system'): SequencedFrame => ({ type: 'conversation.ended', ...base(), by }),
    survey: (score: number, comment?: string): SequencedFrame => ({
      type: 'survey.submitted',
      ...base(),
      score,
      ...(comment ? { comment } : {}),
    }),
    summary: (agent?: AgentInfo): ConversationSummary => ({
      id,
      status: agent ? 'active' : 'queued',
      lastSeq: seq,
      startedAt: at,
      visitor,
      ...(agent ? { agent } : {}),
    }),
  };
}
