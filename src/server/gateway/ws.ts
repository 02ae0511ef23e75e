/**
 * The WebSocket endpoint, `/v1/ws`: an explicit 64 KiB max payload, an Origin check at the
 * handshake, hello within a deadline, frames handled in arrival order per socket, and a
 * protocol-level ping so dead peers are dropped. A bad frame gets an error frame; it never
 * affects other sockets.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  closeCodes,
  decodeClientFrame,
  limits,
  ParleyError,
  type ClientFrame,
  type Decoded,
  type ErrorCode,
  type ServerFrame,
} from '../../protocol/index.js';
import type { OriginPolicy } from '../http/origin.js';
import type { Services } from '../services/index.js';
import { admit } from './admit.js';
import { dispatch, errorFrame, type DispatchDeps } from './dispatch.js';
import { frameText, slowConsumer, tooFarBehind } from './outbox.js';
import { Peer } from './peer.js';

export interface GatewayOptions extends DispatchDeps {
  services: Services;
  origins: OriginPolicy;
  heartbeatMs: number;
  helloTimeoutMs: number;
  /** Unsent output a socket may hold before it is closed as a slow consumer. */
  outboundBufferBytes: number;
}

/** Frames one socket may have waiting for answers before the server stops reading from it. */
const maxUnansweredFrames = 256;
const resumeBelowFrames = maxUnansweredFrames / 2;

const closeCodeOf = (code: ErrorCode): number =>
  code in closeCodes ? closeCodes[code as keyof typeof closeCodes] : closeCodes.hello_required;

export function attachWebSocketGateway(server: Server, options: GatewayOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/v1/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, socket, request, url.searchParams.get('widget') ?? undefined);
    });
  });

  // Server side of the heartbeat: a socket that misses a protocol pong is terminated.
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs * 3);
  pinger.unref();

  function accept(ws: WebSocket, socket: Duplex, request: IncomingMessage, widgetId: string | undefined) {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // ws reports too-large frames and protocol violations here, then closes with 1009/1002.
    ws.on('error', () => undefined);
    const origin = request.headers.origin;
    let peer: Peer | undefined;
    let closed = false;
    const end = (code: number, reason: string) => {
      closed = true;
      ws.close(code, reason);
    };
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
    const sendText = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      // The frames a socket gets in one turn (a commit's messages and acks) leave in one write.
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      ws.send(text);
      // A client that reads slower than its frames come would make ws buffer without bound.
      if (tooFarBehind(ws.bufferedAmount, options.outboundBufferBytes)) end(slowConsumer.code, slowConsumer.reason);
    };
    /** Frames published to several connections: serialised once for all of them. */
    const send = (frame: object) => sendText(frameText(frame));
    /** Answers for this connection alone. */
    const reply = (frame: object) => sendText(JSON.stringify(frame));
    const helloTimer = setTimeout(() => end(closeCodes.hello_timeout, 'hello_timeout'), options.helloTimeoutMs);
    ws.on('close', () => {
      closed = true;
      clearTimeout(helloTimer);
      peer?.dispose();
    });

    // Frames of one socket take effect in arrival order; sockets do not wait on each other.
    // Sends to a named conversation are pipelined: each starts as soon as the frames before it
    // have started, so a burst reaches the group commit together (which keeps their order). Any
    // other frame starts alone, once everything before it is done. Replies leave in arrival order.
    /** Frames received and not yet answered, oldest first; the first `started` have started. */
    const inbox: { decoded: Decoded<ClientFrame>; pipelined: boolean; replies?: ServerFrame[] }[] = [];
    let started = 0;
    /** Started frames still waiting for their replies. */
    let running = 0;
    /** Set while a frame that must run alone runs (and while the page's origin is checked). */
    let alone = false;

    const deliver = () => {
      while (inbox[0]?.replies) {
        inbox.shift()!.replies!.forEach(reply);
        started -= 1;
      }
      if (ws.isPaused && inbox.length <= resumeBelowFrames) ws.resume();
    };
    const pump = () => {
      while (!alone && started < inbox.length) {
        const entry = inbox[started]!;
        if (!entry.pipelined && running > 0) return;
        started += 1;
        running += 1;
        alone = !entry.pipelined;
        onFrame(entry.decoded)
          .catch((error: unknown) => [errorFrame(error)])
          .then((replies) => {
            entry.replies = replies;
            running -= 1;
            if (!entry.pipelined) alone = false;
            deliver();
            pump();
          })
          .catch((error: unknown) => console.error('socket reply failed', error));
      }
    };

    if (widgetId) {
      alone = true;
      options.origins
        .widgetAllows(widgetId, origin)
        .then(
          (allowed) => {
            if (!allowed) end(closeCodes.origin_not_allowed, 'origin_not_allowed');
          },
          () => end(closeCodes.internal, 'internal'),
        )
        .finally(() => {
          alone = false;
          pump();
        });
    }

    async function onHello(frame: Extract<ClientFrame, { type: 'hello' }>) {
      clearTimeout(helloTimer);
      try {
        const principal = await admit(options.services, options.origins, frame, {
          origin,
          headers: request.headers,
          widgetId,
        });
        if (closed) return;
        peer = new Peer(options.services, principal, { send, end }, options.heartbeatMs);
        await peer.start(frame);
      } catch (error) {
        const code = error instanceof ParleyError ? error.code : 'internal';
        reply(errorFrame(error));
        end(closeCodeOf(code), code);
      }
    }

    /**
     * Handles one frame and returns its replies. A message.send is in the group commit's queue
     * before this returns its promise.
     */
    async function onFrame(decoded: Decoded<ClientFrame>): Promise<ServerFrame[]> {
      if (closed) return [];
      if (!decoded.ok) {
        const { code, message, ref, clientId } = decoded;
        reply({ type: 'error', code, message, ...(ref ? { ref } : {}), ...(clientId ? { clientId } : {}) });
        // Before hello only a valid hello is acceptable: anything else ends the socket at once.
        const reason = code === 'unsupported_version' ? code : 'hello_required';
        if (!peer) end(closeCodeOf(reason), reason);
        return [];
      }
      const frame = decoded.frame;
      if (!peer) {
        if (frame.type === 'hello') {
          await onHello(frame);
          return [];
        }
        reply(errorFrame(new ParleyError('hello_required', 'the first frame must be hello')));
        end(closeCodes.hello_required, 'hello_required');
        return [];
      }
      return dispatch(options, peer.principal, frame);
    }

    ws.on('message', (data, isBinary) => {
      const decoded = decodeClientFrame(isBinary ? undefined : (data as Buffer).toString('utf8'));
      const pipelined = decoded.ok && decoded.frame.type === 'message.send' && !!decoded.frame.conversationId;
      inbox.push({ decoded, pipelined });
      // Bounded input: a client that sends faster than it is answered is slowed down by TCP.
      if (inbox.length >= maxUnansweredFrames && !ws.isPaused) ws.pause();
      pump();
    });
  }

  return {
    wss,
    /** Closes every socket with "going away" so clients reconnect to the next server. */
    close(): Promise<void> {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.close(closeCodes.going_away, 'going_away');
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
