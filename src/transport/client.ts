/** The transport client: one logical session over a succession of links, with no message lost or shown twice. */
import {
  closeCodes,
  finalCloseCodes,
  isSequenced,
  limits,
  ParleyError,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ClientFrameOf,
  type SequencedFrame,
  type ServerFrame,
  type ServerFrameOf,
  type DataReplyType,
} from '../protocol/index.js';
import { Backoff } from './backoff.js';
import { anyRoleCodec, visitorCodec, type FrameCodec } from './codecs.js';
import { Emitter } from './emitter.js';
import { endpoints, type Endpoints } from './endpoints.js';
import { ClientClosedError } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import { openHttpLink, type FetchLike } from './http-link.js';
import { randomId } from './ids.js';
import { abnormalClosure, type Link, type LinkClose, type LinkHandlers, type TransportKind } from './link.js';
import { Outbox, type PendingMessage } from './outbox.js';
import { Sequencer, type ResumePoint } from './sequencer.js';
import type {
  ClientEvents,
  ClientEventType,
  ClientOptions,
  ClientState,
  MessageAck,
  ParleyClient,
  ReplyTo,
  RequestFrame,
  SendInput,
  TypingInput,
  Welcome,
} from './types.js';
import { checkedFrame } from './wire.js';
import { openWebSocketLink, type WebSocketConstructor } from './ws-link.js';

type RequestWithRef = Extract<ClientFrame, { ref: string }>;

/** WebSocket links that fail before opening this many times in a row send the client to HTTP. */
const webSocketFailuresBeforeFallback = 2;
const defaultOpenTimeoutMs = 5000;

/** Error codes that, in an `error` frame answering nothing in particular, end the session. */
const finalErrorCodes: ReadonlySet<string> = new Set(
  Object.entries(closeCodes)
    .filter(([, code]) => finalCloseCodes.has(code))
    .map(([name]) => name),
);

/** The browser globals used to reconnect at once when the network or the page comes back. */
interface WakeTarget {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
  document?: { visibilityState?: string };
}

/**
 * Creates a transport client for a visitor or an agent. It does nothing until `connect()`.
 *
 * @example
 * // Browser (visitor):
 * const client = createClient({ url: 'https://chat.example.com', role: 'visitor', token, widgetId: 'w1' });
 * client.on('message', (message) => render(message));
 * await client.connect();
 * await client.send({ body: 'Hello!' }); // resolves with the ack once the server stored it
 *
 * @example
 * // Node (agent), with the `ws` package:
 * import { WebSocket } from 'ws';
 * const agent = createClient({ url: 'http://127.0.0.1:8787', role: 'agent', token, WebSocket });
 */
export function createClient(options: ClientOptions): ParleyClient {
  return new Client(options, anyRoleCodec);
}

/**
 * A visitor's transport client that knows only the frames a visitor sends and receives: the same
 * client as `createClient`, with a smaller bundle (the widget uses it).
 *
 * @example
 * const client = createVisitorClient({ url: 'https://chat.example.com', token, widgetId: 'w1' });
 */
export function createVisitorClient(options: Omit<ClientOptions, 'role'>): ParleyClient {
  return new Client({ ...options, role: 'visitor' }, visitorCodec);
}

class Client implements ParleyClient {
  #currentState: ClientState = 'idle';
  #kind: TransportKind;
  #link: Link | undefined;
  #heartbeatMs: number;
  #latestWelcome: Welcome | undefined;
  #closedError: ClientClosedError | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #webSocketFailures = 0;
  #stopWakeListeners: (() => void) | undefined;
  #welcomeWaiters: { resolve(welcome: Welcome): void; reject(error: unknown): void }[] = [];
  /** History requests the client made itself to fill gaps: ref → conversation. */
  readonly #fills = new Map<string, string>();
  readonly #events = new Emitter<ClientEvents>();
  readonly #outbox = new Outbox();
  readonly #sequencer: Sequencer;
  readonly #backoff: Backoff;
  readonly #heartbeat: Heartbeat;
  readonly #endpoints: Endpoints;
  readonly #WebSocketClass: WebSocketConstructor | undefined;
  readonly #fetch: FetchLike | undefined;
  readonly #transports: readonly TransportKind[];
  readonly #openTimeoutMs: number;
  readonly #options: ClientOptions;
  readonly #codec: FrameCodec;

  constructor(options: ClientOptions, codec: FrameCodec) {
    this.#options = options;
    this.#codec = codec;
    if (options.role !== 'visitor' && options.role !== 'agent') throw new TypeError('role must be visitor or agent');
    if (typeof options.token !== 'string') throw new TypeError('token must be a string');
    this.#endpoints = endpoints(options.url, options.widgetId);
    this.#transports = options.transports ?? ['websocket', 'http'];
    this.#WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    // Called through globalThis: browsers refuse a fetch detached from its window.
    this.#fetch = options.fetch ?? (globalFetch && ((url, init) => globalFetch.call(globalThis, url, init)));
    const webSocketUsable = this.#transports.includes('websocket') && this.#WebSocketClass !== undefined;
    const httpUsable = this.#transports.includes('http') && this.#fetch !== undefined;
    if (!webSocketUsable && !httpUsable) {
      throw new TypeError('no usable transport: pass a WebSocket class or a fetch function for the chosen transports');
    }
    this.#kind = webSocketUsable ? 'websocket' : 'http';
    this.#heartbeatMs = options.heartbeatMs ?? limits.heartbeatMs;
    this.#openTimeoutMs = options.openTimeoutMs ?? defaultOpenTimeoutMs;
    this.#backoff = new Backoff(options.backoff);
    this.#heartbeat = new Heartbeat({
      ping: () => this.#link?.send({ type: 'ping', t: Date.now() }),
      dead: (silentMs) => this.#dropLink(`no sign of life for ${silentMs} ms`),
    });
    this.#sequencer = new Sequencer(
      {
        deliver: (frame) => this.#deliver(frame),
        fetch: (conversationId, afterSeq) => this.#fetchHistory(conversationId, afterSeq),
      },
      options.resume,
    );
  }

  get state(): ClientState {
    return this.#currentState;
  }

  get transport(): TransportKind {
    return this.#kind;
  }

  on<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): () => void {
    return this.#events.on(type, handler);
  }

  off<K extends ClientEventType>(type: K, handler: (payload: ClientEvents[K]) => void): void {
    this.#events.off(type, handler);
  }

  connect(): Promise<Welcome> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    if (this.#currentState === 'open' && this.#latestWelcome) return Promise.resolve(this.#latestWelcome);
    const welcome = new Promise<Welcome>((resolve, reject) => this.#welcomeWaiters.push({ resolve, reject }));
    if (this.#currentState === 'idle') {
      this.#stopWakeListeners = this.#listenForWake();
      this.#setState('connecting');
      this.#startLink();
    }
    return welcome;
  }

  close(): void {
    this.#end(1000, 'closed by the client');
  }

  send(input: SendInput): Promise<MessageAck> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    let frame: ClientFrameOf<'message.send'>;
    try {
      frame = checkedFrame(this.#codec, {
        type: 'message.send',
        clientId: input.clientId ?? randomId('m'),
        ...(input.conversationId === undefined ? {} : { conversationId: input.conversationId }),
        body: input.body,
      });
    } catch (error) {
      return rejected(error);
    }
    return this.#enqueue<MessageAck>(frame);
  }

  request<F extends RequestFrame>(frame: F): Promise<ReplyTo<F>> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    let full: RequestWithRef;
    try {
      const unchecked: RequestWithRef = { ...frame, ref: randomId('r') };
      full = checkedFrame(this.#codec, unchecked);
    } catch (error) {
      return rejected(error);
    }
    return this.#enqueue<ReplyTo<F>>(full);
  }

  typing(input: TypingInput): boolean {
    if (this.#currentState !== 'open' || !this.#link) return false;
    try {
      this.#link.send(checkedFrame(this.#codec, { type: 'typing', ...input }));
      return true;
    } catch {
      return false;
    }
  }

  pending(): PendingMessage[] {
    return this.#outbox.messages();
  }

  resumePoints(): ResumePoint[] {
    return this.#sequencer.points();
  }

  /** Puts a frame in the outbox and sends it now if the client is open (else after the next welcome). */
  #enqueue<R extends MessageAck | ServerFrameOf<'ok'> | ServerFrameOf<DataReplyType>>(
    frame: ClientFrameOf<'message.send'> | RequestWithRef,
  ): Promise<R> {
    const alreadyWaiting = this.#outbox.has(frame);
    const answer = this.#outbox.add<R>(frame);
    if (!alreadyWaiting && this.#currentState === 'open') this.#link?.send(frame);
    return answer;
  }

  #startLink(): void {
    this.#reconnectTimer = undefined;
    const points = this.#sequencer.points();
    const hello: ClientFrameOf<'hello'> = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      role: this.#options.role,
      token: this.#options.token,
      ...(points.length > 0 ? { resume: points } : {}),
    };
    // Each link gets its own handlers that check they still belong to the current link, so a
    // late event from a replaced link can never disturb the new one.
    let link: Link | undefined;
    const current = () => link !== undefined && this.#link === link;
    const handlers: LinkHandlers = {
      open: () => {
        if (!current()) return;
        if (link?.kind === 'websocket') this.#webSocketFailures = 0;
        // Until the welcome, only watch: a server that accepts but never answers is a dead link.
        this.#heartbeat.start(this.#heartbeatMs, false);
      },
      frame: (text) => {
        if (current()) this.#receiveSafely(text);
      },
      activity: () => {
        if (current()) this.#heartbeat.alive();
      },
      close: (info) => {
        if (current()) this.#linkLost(info);
      },
    };
    const linkOptions = { hello, handlers, openTimeoutMs: this.#openTimeoutMs };
    try {
      link =
        this.#kind === 'websocket'
          ? openWebSocketLink(this.#WebSocketClass!, this.#endpoints.websocket, linkOptions)
          : openHttpLink({
              ...linkOptions,
              fetch: this.#fetch!,
              streamUrl: this.#endpoints.stream,
              framesUrl: this.#endpoints.frames,
              token: this.#options.token,
            });
    } catch (error) {
      // A constructor that throws (a CSP-blocked or malformed URL) is a link that never opened.
      link = { kind: this.#kind, pings: false, send: () => undefined, close: () => undefined };
      const reason = error instanceof Error ? error.message : String(error);
      queueMicrotask(() => handlers.close({ code: abnormalClosure, reason, opened: false }));
    }
    this.#link = link;
  }

  /** A bug of ours while handling one frame must not escape into the socket's event loop and crash Node. */
  #receiveSafely(text: string): void {
    try {
      this.#receive(text);
    } catch (error) {
      console.error('[parley] failed to handle a server frame', error);
      const message = `failed to handle a frame: ${error instanceof Error ? error.message : String(error)}`;
      this.#events.emit('error', { type: 'error', code: 'internal', message: message.slice(0, 500), local: true });
    }
  }

  /** Validates one inbound frame and routes it; an invalid one is reported and dropped. */
  #receive(text: string): void {
    const decoded = this.#codec.decode(text);
    if (!decoded.ok) {
      const message = `dropped an invalid frame from the server: ${decoded.message}`.slice(0, 500);
      this.#events.emit('error', { type: 'error', code: decoded.code, message, local: true });
      // A history page we cannot read would leave its gap open for good: start over on a new link,
      // whose resume replays the gap.
      const spoilsFill = decoded.code === 'too_large' || (decoded.ref !== undefined && this.#fills.has(decoded.ref));
      if (this.#fills.size > 0 && spoilsFill) this.#dropLink('unreadable history page');
      return;
    }
    const frame = decoded.frame;
    if (isSequenced(frame)) return this.#sequencer.accept(frame);
    switch (frame.type) {
      case 'welcome':
        return this.#welcomed(frame);
      case 'message.ack':
      case 'ok':
        if (this.#outbox.settle(frame)) this.#emitFrame(frame);
        return;
      case 'history.result':
        return this.#historyResult(frame);
      case 'visitor.details':
      case 'transcripts.result':
      case 'requests.result':
        if (this.#outbox.settle(frame)) this.#emitFrame(frame);
        return;
      case 'error':
        return this.#errorFrame(frame);
      case 'reload':
        this.#events.emit('reload', frame);
        return this.#sequencer.reload(frame.conversationId, frame.lastSeq);
      case 'session.ended':
        this.#events.emit('session.ended', frame);
        return this.#end(closeCodes.session_ended, `session ended: ${frame.reason}`);
      default:
        return this.#emitFrame(frame);
    }
  }

  #welcomed(welcome: Welcome): void {
    const link = this.#link;
    if (!link) return;
    this.#latestWelcome = welcome;
    this.#heartbeatMs = welcome.heartbeatMs;
    this.#backoff.reset();
    this.#heartbeat.start(this.#heartbeatMs, link.pings);
    // Resend before anyone hears of the welcome, so a frame sent from a 'state' or 'welcome'
    // handler goes out once, after the older ones, keeping the original order.
    for (const frame of this.#outbox.frames()) link.send(frame);
    this.#setState('open');
    this.#events.emit('welcome', welcome);
    const waiters = this.#welcomeWaiters;
    this.#welcomeWaiters = [];
    for (const waiter of waiters) waiter.resolve(welcome);
  }

  #historyResult(result: ServerFrameOf<'history.result'>): void {
    const conversationId = this.#fills.get(result.ref);
    if (conversationId === undefined) {
      if (this.#outbox.settle(result)) this.#emitFrame(result);
      return;
    }
    this.#fills.delete(result.ref);
    this.#sequencer.page(conversationId, result.frames, result.more);
  }

  #errorFrame(frame: ServerFrameOf<'error'>): void {
    const fill = frame.ref === undefined ? undefined : this.#fills.get(frame.ref);
    if (fill !== undefined) {
      this.#fills.delete(frame.ref!);
      this.#sequencer.fillFailed(fill);
      this.#events.emit('error', frame);
      return;
    }
    const answersSomething = frame.ref !== undefined || frame.clientId !== undefined;
    const settled = this.#outbox.fail(frame, new ParleyError(frame.code, frame.message));
    // A second answer to a frame that was resent and already settled is not news.
    if (answersSomething && !settled) return;
    this.#events.emit('error', frame);
    if (!answersSomething && finalErrorCodes.has(frame.code)) {
      this.#end(closeCodes[frame.code as keyof typeof closeCodes], frame.message);
    }
  }

  #deliver(frame: SequencedFrame): void {
    this.#events.emit('sequenced', frame);
    this.#emitFrame(frame);
  }

  #emitFrame(frame: ServerFrame): void {
    // The emitter is typed per event; a frame's type names its event and the frame is its payload.
    (this.#events as unknown as Emitter<Record<string, ServerFrame>>).emit(frame.type, frame);
  }

  /** Asks for the frames a conversation misses; the answer goes to the sequencer, not to callers. */
  #fetchHistory(conversationId: string, afterSeq: number): void {
    if (!this.#link) return this.#sequencer.fillFailed(conversationId);
    const ref = randomId('h');
    this.#fills.set(ref, conversationId);
    this.#link.send({ type: 'history', ref, conversationId, afterSeq, limit: limits.historyPageLimit });
  }

  /** Drops the current link from our side (dead heartbeat) and reconnects. */
  #dropLink(reason: string): void {
    const link = this.#link;
    if (!link) return;
    link.close(1000, reason);
    this.#linkLost({ code: abnormalClosure, reason, opened: true });
  }

  #linkLost(info: LinkClose): void {
    const link = this.#link;
    this.#link = undefined;
    this.#heartbeat.stop();
    // Fills in flight die with the link; the resume replay on the next link brings their frames.
    this.#fills.clear();
    this.#sequencer.cancelFills();
    if (finalCloseCodes.has(info.code)) return this.#end(info.code, info.reason);
    this.#events.emit('closed', { code: info.code, reason: info.reason, final: false });
    this.#setState(this.#currentState === 'connecting' && !this.#latestWelcome ? 'connecting' : 'reconnecting');
    if (link?.kind === 'websocket' && !info.opened) {
      // The next attempt waits for the verdict, so it already uses the right transport.
      void this.#webSocketFailed(info.reason).then(() => {
        if (!this.#closedError) this.#scheduleReconnect();
      });
      return;
    }
    this.#scheduleReconnect();
  }

  /**
   * A WebSocket that fails while plain HTTP reaches the server is blocked on the way (a proxy, a
   * firewall): after two such failures the client moves to HTTP. One that fails while HTTP fails
   * too met a server that is down or restarting, which is no reason to give up on WebSocket.
   */
  async #webSocketFailed(reason: string): Promise<void> {
    const fetch = this.#fetch;
    if (!this.#transports.includes('http') || fetch === undefined) return;
    const reachable = await fetch(this.#endpoints.health, { method: 'GET' }).then(
      (response) => response.ok,
      () => false,
    );
    if (!reachable || this.#kind === 'http' || this.#closedError) return;
    this.#webSocketFailures += 1;
    if (this.#webSocketFailures < webSocketFailuresBeforeFallback) return;
    // Kept in memory only: remembering it in storage would need the visitor's consent.
    this.#kind = 'http';
    this.#events.emit('transport', {
      transport: 'http',
      reason: `WebSocket failed ${this.#webSocketFailures} times before opening while HTTP worked (${reason})`,
    });
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#startLink(), this.#backoff.next());
  }

  /** The network or the page came back: retry at once instead of waiting out the backoff. */
  #wake(): void {
    if (this.#currentState === 'closed') return;
    if (this.#reconnectTimer !== undefined) {
      clearTimeout(this.#reconnectTimer);
      this.#startLink();
    } else if (this.#currentState === 'open' && this.#link) {
      // A socket frozen in a background tab looks open; probe it and judge the silence now.
      if (this.#link.pings) this.#link.send({ type: 'ping', t: Date.now() });
      this.#heartbeat.check();
    }
  }

  #listenForWake(): (() => void) | undefined {
    const target = globalThis as unknown as WakeTarget;
    if (typeof target.addEventListener !== 'function') return undefined;
    const onOnline = () => this.#wake();
    const onVisibility = () => {
      if ((target.document?.visibilityState ?? 'visible') === 'visible') this.#wake();
    };
    target.addEventListener('online', onOnline);
    // visibilitychange is fired at the document and bubbles to the window.
    target.addEventListener('visibilitychange', onVisibility);
    return () => {
      target.removeEventListener?.('online', onOnline);
      target.removeEventListener?.('visibilitychange', onVisibility);
    };
  }

  /** Stops for good: no reconnect, everything waiting rejects. */
  #end(code: number, reason: string): void {
    if (this.#closedError) return;
    const error = new ClientClosedError(code, reason);
    this.#closedError = error;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#heartbeat.stop();
    this.#stopWakeListeners?.();
    this.#stopWakeListeners = undefined;
    this.#link?.close(1000, reason.slice(0, 120));
    this.#link = undefined;
    this.#fills.clear();
    this.#setState('closed');
    this.#events.emit('closed', { code, reason, final: true });
    this.#outbox.rejectAll(error);
    const waiters = this.#welcomeWaiters;
    this.#welcomeWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  #setState(state: ClientState): void {
    const previous = this.#currentState;
    if (previous === state) return;
    this.#currentState = state;
    this.#events.emit('state', { state, previous });
  }
}

/** A rejected promise for an input that failed validation (always a ParleyError in practice). */
function rejected<T>(error: unknown): Promise<T> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
