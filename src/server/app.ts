/**
 * Assembles and starts the reference server: store, bus, services, HTTP routes and the
 * WebSocket gateway on one port.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createInProcessBus } from './bus/index.js';
import type { ServerConfig } from './config.js';
import { attachWebSocketGateway } from './gateway/ws.js';
import { createApp } from './http/app.js';
import { createOriginPolicy } from './http/origin.js';
import { createRateLimiter } from './rate-limit.js';
import { createServices, type Services } from './services/index.js';
import { openStore, type Store } from './store/open.js';
import type { Server } from 'node:http';

export interface RunningServer {
  /** The base URL, e.g. http://127.0.0.1:8787. */
  url: string;
  port: number;
  store: Store;
  services: Services;
  close(): Promise<void>;
}

/**
 * @example
 * const server = await startServer(resolvedConfig);
 * console.log(server.url);
 * await server.close();
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const bus = createInProcessBus();
  const services = createServices({ db: store.db, bus, now: Date.now, presenceGraceMs: config.presenceGraceMs });
  const origins = createOriginPolicy(store.db);
  const messageLimiter = createRateLimiter(config.rates.messages);
  const app = createApp({
    config,
    store,
    services,
    origins,
    messageLimiter,
    sessionLimiter: createRateLimiter(config.rates.sessionsPerIp),
    loginLimiter: createRateLimiter(config.rates.logins),
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const gateway = attachWebSocketGateway(server, {
    services,
    origins,
    messageLimiter,
    heartbeatMs: config.heartbeatMs,
    helloTimeoutMs: config.helloTimeoutMs,
    outboundBufferBytes: config.outboundBufferBytes,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    services,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.routing.stop();
      await services.conversations.drain();
      await store.close();
    },
  };
}
