/**
 * A scripted stand-in for the Parley server, speaking just enough of the v1 contract over
 * WebSocket and the HTTP fallback (SSE down, POST up) to drive the transport client in tests.
 * It keeps a per-conversation log, acks idempotently by clientId, replays on resume (or answers
 * `reload` past its replay limit), pages history, and can be told to misbehave.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  closeCodes,
  decodeClientFrame,
  PROTOCOL_VERSION,
  validateClientFrame,
  type ClientFrame,
  type ClientFrameOf,
  type SequencedFrame,
  type ServerFrame,
  type ServerFrameOf,
} from '../../src/protocol/index.js';

type Hello = ClientFrameOf<'hello'>;
type Ack = ServerFrameOf<'message.ack'>;
type LogFrame = SequencedFrame;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A sequenced frame before the log gives it its place. */
export type NewFrame = DistributiveOmit<LogFrame, 'seq' | 'conversationId' | 'at'>;

export interface Connection {
  readonly kind: 'websocket' | 'http';
  hello?: Hello;
  welcomed: boolean;
  /** A muted connection ignores what it receives and sends nothing more (no SSE heartbeat). */
  muted: boolean;
  send(frame: ServerFrame): void;
  sendRaw(text: string): void;
  /** Closes politely (WebSocket close code, or the end of the SSE response). */
  close(code?: number, reason?: string): void;
  /** Drops the link without a close frame. */
  kill(): void;
}

export interface FakeServerOptions {
  /** Answer 403 to every WebSocket upgrade, as a blocking proxy would. */
  refuseWebSocket?: boolean;
  /** Never answer WebSocket upgrades, as a proxy that swallows them would. */
  hangWebSocket?: boolean;
  /** Answers this many history requests over WebSocket with an unreadable, oversized frame. */
  spoilHistory?: number;
  /** The heartbeat the welcome announces (the protocol's minimum is 1000 ms). */
  heartbeatMs?: number;
  /** Frames per history page (the protocol allows up to 300). */
  historyPageSize?: number;
  /** Most frames replayed on resume before answering `reload`. */
  replayLimit?: number;
}

export class FakeServer {
  /** Every hello, in arrival order, with the transport and the request URL. */
  readonly hellos: { hello: Hello; kind: Connection['kind']; url: string }[] = [];
  /** Every other client frame, in arrival order (both transports). */
  readonly received: ClientFrame[] = [];
  /** Headers of each POST /v1/frames. */
  readonly framePosts: http.IncomingHttpHeaders[] = [];
  readonly connections = new Set<Connection>();
  readonly log = new Map<string, LogFrame[]>();
  private readonly acks = new Map<string, Ack>();
  upgradeAttempts = 0;
  private readonly hungSockets = new Set<Duplex>();
  /**
   * `withhold`: store messages without acking or publishing them, and leave requests unanswered;
   * `double`: ack every send twice.
   */
  ackMode: 'normal' | 'withhold' | 'double' = 'normal';
  /** When false, hellos are left unanswered. */
  answerHello = true;
  /** Answers for the next POSTs to /v1/frames, in order, instead of handling them. */
  readonly postFailures: { status: number; code: string; retryAfter?: string }[] = [];
  /** Closes every hello with this code instead of welcoming it. */
  refuseHelloWith: number | undefined;
  private clock = 1_700_000_000_000;
  private nextMessageId = 1;
  readonly url: string;
  private readonly heartbeatMs: number;
  private readonly historyPageSize: number;
  private readonly replayLimit: number;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    private readonly options: FakeServerOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.historyPageSize = options.historyPageSize ?? 300;
    this.replayLimit = options.replayLimit ?? 300;
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const server = http.createServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeServer(server, wss, options);
    server.on('request', (request, response) => fake.http(request, response));
    server.on('upgrade', (request, socket, head) => {
      fake.upgradeAttempts += 1;
      if (fake.options.hangWebSocket) {
        fake.hungSockets.add(socket);
        return;
      }
      if (fake.options.refuseWebSocket) {
        socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => fake.websocket(ws, request.url ?? ''));
    });
    return fake;
  }

  /** Appends a frame to a conversation's log (as if persisted) and returns it with its seq. */
  append(conversationId: string, frame: NewFrame): LogFrame {
    const log = this.log.get(conversationId) ?? [];
    this.log.set(conversationId, log);
    const stored = { ...frame, conversationId, seq: log.length + 1, at: this.clock++ } as LogFrame;
    log.push(stored);
    return stored;
  }

  /** A message from the agent, appended to the log (not yet sent to anyone). */
  agentMessage(conversationId: string, body: string): LogFrame {
    return this.append(conversationId, {
      type: 'message',
      id: `srv${this.nextMessageId++}`,
      author: { role: 'agent', id: 'a1', name: 'Ana' },
      body,
    });
  }

  /** The current connections go quiet, as a frozen network would leave them; new ones work. */
  silence(): void {
    for (const connection of this.connections) connection.muted = true;
  }

  /** Sends a frame to every welcomed connection. */
  publish(frame: ServerFrame): void {
    for (const connection of this.connections) if (connection.welcomed && !connection.muted) connection.send(frame);
  }

  /** Sends raw text to every welcomed connection (for malformed frames). */
  publishRaw(text: string): void {
    for (const connection of this.connections) if (connection.welcomed) connection.sendRaw(text);
  }

  /** Messages stored per clientId: proves a resend is never stored twice. */
  storedClientIds(): string[] {
    return [...this.log.values()].flatMap((log) =>
      log.flatMap((frame) => (frame.type === 'message' && frame.clientId ? [frame.clientId] : [])),
    );
  }

  sends(): ClientFrameOf<'message.send'>[] {
    return this.received.filter((frame) => frame.type === 'message.send');
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.kill();
    this.connections.clear();
    for (const socket of this.hungSockets) socket.destroy();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private websocket(ws: WebSocket, url: string): void {
    const connection: Connection = {
      kind: 'websocket',
      welcomed: false,
      muted: false,
      send: (frame) => ws.send(JSON.stringify(frame)),
      sendRaw: (text) => ws.send(text),
      close: (code, reason) => ws.close(code, reason),
      kill: () => ws.terminate(),
    };
    this.connections.add(connection);
    ws.on('close', () => this.connections.delete(connection));
    ws.on('message', (data: Buffer) => {
      if (connection.muted) return;
      const decoded = decodeClientFrame(data.toString('utf8'));
      if (!decoded.ok) return connection.send({ type: 'error', code: decoded.code, message: decoded.message });
      const frame = decoded.frame;
      if (frame.type === 'hello') return this.hello(connection, frame, url);
      if (!connection.welcomed) return connection.close(closeCodes.hello_required, 'hello first');
      this.received.push(frame);
      if (frame.type === 'history' && (this.options.spoilHistory ?? 0) > 0) {
        this.options.spoilHistory! -= 1;
        return connection.sendRaw(JSON.stringify({ type: 'history.result', ref: frame.ref, junk: 'x'.repeat(70_000) }));
      }
      for (const reply of this.handle(frame)) connection.send(reply);
    });
  }

  private http(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '').split('?')[0];
      if (request.method === 'POST' && path === '/v1/stream') return this.stream(request, response, body);
      if (request.method === 'POST' && path === '/v1/frames') return this.frames(request, response, body);
      if (request.method === 'GET' && path === '/healthz') return void response.writeHead(200).end('{"ok":true}');
      response.writeHead(404).end();
    });
  }

  private stream(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
    const decoded = decodeClientFrame(body);
    if (!decoded.ok || decoded.frame.type !== 'hello') {
      response.writeHead(400, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ error: { code: 'hello_required', message: 'hello first' } }));
    }
    if (decoded.frame.token.startsWith('v_bad') || decoded.frame.token.startsWith('a_bad')) {
      response.writeHead(401, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }));
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.flushHeaders();
    const heartbeat = setInterval(() => {
      if (!connection.muted) response.write(':hb\n\n');
    }, this.heartbeatMs);
    const connection: Connection = {
      kind: 'http',
      welcomed: false,
      muted: false,
      send: (frame) => void response.write(`data: ${JSON.stringify(frame)}\n\n`),
      sendRaw: (text) => void response.write(`data: ${text}\n\n`),
      close: () => response.end(),
      kill: () => response.destroy(),
    };
    this.connections.add(connection);
    response.on('close', () => {
      clearInterval(heartbeat);
      this.connections.delete(connection);
    });
    this.hello(connection, decoded.frame, request.url ?? '');
  }

  private frames(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
    this.framePosts.push(request.headers);
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const reply = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (!token || token.startsWith('v_bad'))
      return reply(401, { error: { code: 'unauthorized', message: 'bad token' } });
    const failure = this.postFailures.shift();
    if (failure) {
      if (failure.retryAfter !== undefined) response.setHeader('retry-after', failure.retryAfter);
      return reply(failure.status, { error: { code: failure.code, message: `refused with ${failure.code}` } });
    }
    const frames = (JSON.parse(body) as { frames: unknown[] }).frames;
    const replies: ServerFrame[] = [];
    for (const raw of frames) {
      const decoded = validateClientFrame(raw);
      if (!decoded.ok) continue;
      this.received.push(decoded.frame);
      replies.push(...this.handle(decoded.frame));
    }
    reply(200, { frames: replies });
  }

  private hello(connection: Connection, hello: Hello, url: string): void {
    connection.hello = hello;
    this.hellos.push({ hello, kind: connection.kind, url });
    if (this.refuseHelloWith !== undefined) return connection.close(this.refuseHelloWith, 'refused');
    if (!this.answerHello) return;
    if (hello.token.startsWith('v_bad') || hello.token.startsWith('a_bad')) {
      return connection.close(closeCodes.unauthorized, 'bad token');
    }
    connection.welcomed = true;
    connection.send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      role: hello.role,
      self: { id: 'u1' },
      heartbeatMs: this.heartbeatMs,
      conversations: [...this.log].map(([id, log]) => ({
        id,
        status: 'active' as const,
        lastSeq: log.length,
        startedAt: 0,
        visitor: { id: 'v1', verified: false },
      })),
    });
    const resume = new Map((hello.resume ?? []).map((point) => [point.conversationId, point.seq]));
    for (const [conversationId, log] of this.log) {
      const missed = log.filter((frame) => frame.seq > (resume.get(conversationId) ?? 0));
      if (missed.length > this.replayLimit) connection.send({ type: 'reload', conversationId, lastSeq: log.length });
      else for (const frame of missed) connection.send(frame);
    }
  }

  /** The default answers of a well-behaved server; sequenced frames go to every connection. */
  private handle(frame: ClientFrame): ServerFrame[] {
    switch (frame.type) {
      case 'ping':
        return [{ type: 'pong', ...(frame.t === undefined ? {} : { t: frame.t }) }];
      case 'message.send':
        return this.messageSend(frame);
      case 'history': {
        const log = this.log.get(frame.conversationId) ?? [];
        const after = log.filter((stored) => stored.seq > frame.afterSeq);
        const size = Math.min(frame.limit ?? this.historyPageSize, this.historyPageSize);
        const page = after.slice(0, size);
        const result: ServerFrame = {
          type: 'history.result',
          ref: frame.ref,
          conversationId: frame.conversationId,
          frames: page,
          more: after.length > page.length,
        };
        return [result];
      }
      case 'conversation.take':
        if (this.ackMode === 'withhold') return [];
        if (!this.log.has(frame.conversationId)) {
          return [{ type: 'error', code: 'not_found', message: 'no such conversation', ref: frame.ref }];
        }
        return [{ type: 'ok', ref: frame.ref }];
      case 'typing':
        return [];
      default:
        if (!('ref' in frame) || this.ackMode === 'withhold') return [];
        return [{ type: 'ok', ref: frame.ref }];
    }
  }

  private messageSend(frame: ClientFrameOf<'message.send'>): ServerFrame[] {
    if (frame.body === 'forbidden') {
      return [{ type: 'error', code: 'invalid_state', message: 'conversation ended', clientId: frame.clientId }];
    }
    let ack = this.acks.get(frame.clientId);
    if (!ack) {
      const stored = this.append(frame.conversationId ?? 'c1', {
        type: 'message',
        id: `srv${this.nextMessageId++}`,
        clientId: frame.clientId,
        author: { role: 'visitor', id: 'v1' },
        body: frame.body,
      });
      ack = {
        type: 'message.ack',
        clientId: frame.clientId,
        conversationId: stored.conversationId,
        seq: stored.seq,
        id: (stored as ServerFrameOf<'message'>).id,
        at: stored.at,
      };
      this.acks.set(frame.clientId, ack);
      if (this.ackMode !== 'withhold') this.publish(stored);
    }
    if (this.ackMode === 'withhold') return [];
    return this.ackMode === 'double' ? [ack, ack] : [ack];
  }
}

/** Resolves once `check` holds, polling every 10 ms; fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
