/** The public types of the transport client: options, events, inputs and replies. */
import type {
  ReplyFrameType,
  ClientFrameOf,
  ClientFrameType,
  SequencedFrame,
  ServerFrameOf,
  ServerFrameType,
} from '../protocol/index.js';
import type { BackoffOptions } from './backoff.js';
import type { FetchLike } from './http-link.js';
import type { TransportKind } from './link.js';
import type { PendingMessage } from './outbox.js';
import type { ResumePoint } from './sequencer.js';
import type { WebSocketConstructor } from './ws-link.js';

export type Role = ClientFrameOf<'hello'>['role'];
export type Welcome = ServerFrameOf<'welcome'>;
export type MessageAck = ServerFrameOf<'message.ack'>;

/**
 * `idle` before `connect()`; `connecting` until the first welcome; `open` while a link is up and
 * welcomed; `reconnecting` while waiting for or building a new link; `closed` for good.
 */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ClientOptions {
  /** The server's origin, e.g. `https://chat.example.com` (a path prefix is kept). */
  url: string;
  role: Role;
  /** The session token: `v_…` for visitors, `a_…` for agents. */
  token: string;
  /** Visitors: the widget id, sent as `?widget=` so the server can check the page's origin. */
  widgetId?: string;
  /** The WebSocket class; defaults to `globalThis.WebSocket`. In Node, pass `ws`'s `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** The fetch function for the HTTP fallback; defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Transports to use, in order of preference; default both, WebSocket first. */
  transports?: TransportKind[];
  /** Heartbeat interval until the server's welcome names its own; default `limits.heartbeatMs`. */
  heartbeatMs?: number;
  /** Reconnect delays; default 500 ms to 20 s with full jitter. */
  backoff?: BackoffOptions;
  /** Where each conversation stood when this page last saw it (persisted by the widget). */
  resume?: ResumePoint[];
  /** How long a link may take to open before it counts as failed; default 5000 ms. */
  openTimeoutMs?: number;
}

export interface SendInput {
  body: string;
  /** Required for agents; visitors may omit it (their open conversation, or a new one). */
  conversationId?: string;
  /** An id of your own choosing for idempotency across page loads; generated when omitted. */
  clientId?: string;
}

export interface TypingInput {
  conversationId?: string;
  typing: boolean;
  /** The visitor's unsent draft, for the agent's sneak peek. */
  draft?: string;
}

/** Client frame types that carry a `ref` and are answered by `ok`, `history.result` or `error`. */
export type RequestType = {
  [T in ClientFrameType]: ClientFrameOf<T> extends { ref: string } ? T : never;
}[ClientFrameType];

/** A request frame without its `ref`; the client generates the ref. */
export type RequestFrame = { [T in RequestType]: Omit<ClientFrameOf<T>, 'ref'> }[RequestType];

/** The reply a request resolves with: its data frame (`history.result`, `transcripts.result`...) or `ok`. */
export type ReplyTo<F extends { type: RequestType }> = ServerFrameOf<ReplyFrameType<F['type']>>;

export interface CloseInfo {
  code: number;
  reason: string;
  /** True when the client will not reconnect (closed, final close code, session ended). */
  final: boolean;
}

export interface StateChange {
  state: ClientState;
  previous: ClientState;
}

export interface TransportChange {
  transport: TransportKind;
  reason: string;
}

/**
 * An `error` frame from the server, or a problem the client found itself (`local: true`), such as
 * an inbound frame that failed validation and was dropped.
 */
export type ClientErrorEvent = ServerFrameOf<'error'> & { local?: true };

type FrameEvents = { [T in ServerFrameType]: ServerFrameOf<T> };

/**
 * Every event the client emits. Each server frame type has its own event. Sequenced frames
 * (`message`, `conversation.*`, `survey.submitted`) fire once each, in order, after `sequenced`.
 * Replies (`message.ack`, `ok`, `history.result`) fire once, when they settle a send or request;
 * duplicates caused by resends are dropped. `reload` fires before the client fetches the gap.
 */
export interface ClientEvents extends Omit<FrameEvents, 'error'> {
  error: ClientErrorEvent;
  state: StateChange;
  sequenced: SequencedFrame;
  closed: CloseInfo;
  transport: TransportChange;
}

export type ClientEventType = keyof ClientEvents;

/** The transport client; create one with `createClient`. */
export interface ParleyClient {
  readonly state: ClientState;
  /** The transport in use; switches once from `websocket` to `http` when WebSocket is blocked. */
  readonly transport: TransportKind;
  /** Opens the connection; resolves with the next welcome, rejects if the client closes for good. */
  connect(): Promise<Welcome>;
  /** Closes for good: no reconnect, waiting sends and requests reject with `ClientClosedError`. */
  close(): void;
  /** Sends a message; resolves with its ack, resending after reconnects until it comes. */
  send(input: SendInput): Promise<MessageAck>;
  /** Sends a request frame; resolves with its `ok` or `history.result`, rejects on `error`. */
  request<F extends RequestFrame>(frame: F): Promise<ReplyTo<F>>;
  /** Sends a typing indicator if the client is open; returns whether it was sent. */
  typing(input: TypingInput): boolean;
  /** Messages sent but not acknowledged yet, oldest first. */
  pending(): PendingMessage[];
  /** Where each conversation stands; persist them to resume after a reload. */
  resumePoints(): ResumePoint[];
  /** Adds an event handler; returns a function that removes it. */
  on<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): () => void;
  off<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): void;
}
