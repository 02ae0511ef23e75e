/** Shared setup for the client tests: clients that talk to a FakeServer and are always closed. */
import { WebSocket } from 'ws';
import { createClient, type ClientOptions, type ParleyClient } from '../../src/transport/index.js';
import type { FakeServer } from './fake-server.js';

export const visitorToken = 'v_0123456789abcdef';
export const agentToken = 'a_0123456789abcdef';

const open: ParleyClient[] = [];

/** A visitor client on `server` over `ws`, with fast backoff; closed by `closeClients`. */
export function testClient(server: FakeServer, options: Partial<ClientOptions> = {}): ParleyClient {
  const client = createClient({
    url: server.url,
    role: 'visitor',
    token: visitorToken,
    widgetId: 'w1',
    WebSocket,
    backoff: { minMs: 10, maxMs: 40 },
    ...options,
  });
  open.push(client);
  return client;
}

export function closeClients(): void {
  for (const client of open.splice(0)) client.close();
}

/** Resolves with the next payload of an event. */
export function next<T>(subscribe: (handler: (payload: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const stop = subscribe((payload) => {
      stop();
      resolve(payload);
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
