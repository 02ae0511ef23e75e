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
  type ErrorCode,
} from '../../protocol/index.js';
import type { OriginPolicy } from '../http/origin.js';
import type { Services } from '../services/index.js';
import { admit } from './admit.js';
import { dispatch, errorFrame, type DispatchDeps } from './dispatch.js';
import { Peer } from './peer.js';

export interface GatewayOptions extends DispatchDeps {
  services: Services;
  origins: OriginPolicy;
  heartbeatMs: number;
  helloTimeoutMs: number;
}

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
      accept(ws, request, url.searchParams.get('widget') ?? undefined);
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

  function accept(ws: WebSocket, request: IncomingMessage, widgetId: string | undefined) {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // ws reports too-large frames and protocol violations here, then closes with 1009/1002.
    ws.on('error', () => undefined);
    const origin = request.headers.origin;
    let peer: Peer | undefined;
    let closed = false;
    let queue = Promise.resolve();
    const send = (frame: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const end = (code: number, reason: string) => {
      closed = true;
      ws.close(code, reason);
    };
    const helloTimer = setTimeout(() => end(closeCodes.hello_timeout, 'hello_timeout'), options.helloTimeoutMs);
    ws.on('close', () => {
      closed = true;
      clearTimeout(helloTimer);
      peer?.dispose();
    });

    if (widgetId) {
      queue = options.origins.widgetAllows(widgetId, origin).then(
        (allowed) => {
          if (!allowed) end(closeCodes.origin_not_allowed, 'origin_not_allowed');
        },
        () => end(closeCodes.internal, 'internal'),
      );
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
        send(errorFrame(error));
        end(closeCodeOf(code), code);
      }
    }

    async function onFrame(data: unknown) {
      if (closed) return;
      const decoded = decodeClientFrame(data);
      if (!decoded.ok) {
        const { code, message, ref, clientId } = decoded;
        send({ type: 'error', code, message, ...(ref ? { ref } : {}), ...(clientId ? { clientId } : {}) });
        // Before hello only a valid hello is acceptable: anything else ends the socket at once.
        const reason = code === 'unsupported_version' ? code : 'hello_required';
        if (!peer) end(closeCodeOf(reason), reason);
        return;
      }
      const frame = decoded.frame;
      if (!peer) {
        if (frame.type === 'hello') return onHello(frame);
        send(errorFrame(new ParleyError('hello_required', 'the first frame must be hello')));
        return end(closeCodes.hello_required, 'hello_required');
      }
      for (const reply of await dispatch(options, peer.principal, frame)) send(reply);
    }

    ws.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : (data as Buffer).toString('utf8');
      // Frames of one socket are handled in arrival order; sockets do not wait on each other.
      queue = queue.then(() => onFrame(text)).catch((error: unknown) => send(errorFrame(error)));
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
