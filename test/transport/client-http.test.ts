import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeCodes } from '../../src/protocol/index.js';
import { WebSocket } from 'ws';
import { ClientClosedError, createClient, type TransportChange } from '../../src/transport/index.js';
import { FakeServer, until } from './fake-server.js';
import { closeClients, sleep, testClient, visitorToken } from './support.js';

let server: FakeServer | undefined;

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
  vi.unstubAllGlobals();
});

describe('HTTP fallback', { timeout: 5000 }, () => {
  it('switches to HTTP after two refused upgrades and carries sends, acks and live frames', async () => {
    server = await FakeServer.start({ refuseWebSocket: true });
    const client = testClient(server);
    const changes: TransportChange[] = [];
    const bodies: string[] = [];
    client.on('transport', (change) => changes.push(change));
    client.on('message', (message) => bodies.push(`${message.seq}:${message.body}`));

    const welcome = await client.connect();

    expect(welcome.type).toBe('welcome');
    expect(server.upgradeAttempts).toBe(2);
    expect(changes.map(({ transport }) => transport)).toEqual(['http']);
    expect(changes[0]!.reason).toMatch(/failed 2 times before opening/);
    expect(client.transport).toBe('http');
    expect(server.hellos.map(({ kind, url }) => [kind, url])).toEqual([['http', '/v1/stream?widget=w1']]);

    server.ackMode = 'double';
    const ack = await client.send({ body: 'over http' });
    expect(ack).toMatchObject({ type: 'message.ack', seq: 1, conversationId: 'c1' });
    expect(server.framePosts[0]).toMatchObject({
      authorization: `Bearer ${visitorToken}`,
      'content-type': 'application/json',
    });
    server.publish(server.agentMessage('c1', 'live over SSE'));
    await until(() => bodies.length === 2, 2000, 'both messages over the stream');
    expect(bodies).toEqual(['1:over http', '2:live over SSE']);

    // It stays on HTTP: a dropped stream comes back as a stream, no new upgrade is tried.
    for (const connection of server.connections) connection.kill();
    await until(() => server!.hellos.length === 2 && client.state === 'open', 2000, 'a new stream');
    expect(server.upgradeAttempts).toBe(2);
    expect(server.hellos[1]).toMatchObject({ kind: 'http', hello: { resume: [{ conversationId: 'c1', seq: 2 }] } });
  });

  it('stays on WebSocket while the server is unreachable, as during a restart', async () => {
    server = await FakeServer.start();
    const url = server.url;
    await server.close();
    server = undefined;
    const client = createClient({
      url,
      role: 'visitor',
      token: visitorToken,
      widgetId: 'w1',
      WebSocket,
      backoff: { minMs: 10, maxMs: 40 },
    });
    const changes: TransportChange[] = [];
    client.on('transport', (change) => changes.push(change));
    const failures: number[] = [];
    client.on('closed', ({ code }) => failures.push(code));
    void client.connect().catch(() => undefined);
    await until(() => failures.length >= 6, 3000, 'several failed attempts');
    client.close();
    expect(changes).toEqual([]);
    expect(client.transport).toBe('websocket');
  });

  it('switches to HTTP when upgrades never complete within the open timeout', async () => {
    server = await FakeServer.start({ hangWebSocket: true });
    const client = testClient(server, { openTimeoutMs: 200 });
    const started = Date.now();
    await client.connect();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(server.upgradeAttempts).toBe(2);
    expect(client.transport).toBe('http');
  });

  it('retries a rate-limited POST later on the same stream, and rejects a refused batch with its code', async () => {
    server = await FakeServer.start();
    const client = testClient(server, { transports: ['http'] });
    await client.connect();
    server.postFailures.push({ status: 429, code: 'rate_limited', retryAfter: '1' });
    const started = Date.now();
    const ack = await client.send({ body: 'eventually' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(ack.seq).toBe(1);
    expect(server.framePosts).toHaveLength(2);
    expect(server.hellos).toHaveLength(1);

    server.postFailures.push({ status: 413, code: 'too_large', retryAfter: undefined });
    await expect(client.send({ body: 'refused' })).rejects.toMatchObject({ name: 'ParleyError', code: 'too_large' });
    expect(client.state).toBe('open');
    expect(client.pending()).toEqual([]);
  });

  it('resends an unacked message on a new stream after the old one dropped, and resolves it once', async () => {
    server = await FakeServer.start();
    const client = testClient(server, { transports: ['http'] });
    await client.connect();
    server.ackMode = 'withhold';
    const sent = client.send({ body: 'hold on' });
    await until(() => server!.sends().length === 1, 2000, 'the first POST');

    server.ackMode = 'double';
    for (const connection of server.connections) connection.kill();
    const ack = await sent;

    expect(ack.seq).toBe(1);
    const ids = server.sends().map((frame) => frame.clientId);
    expect(ids).toEqual([ack.clientId, ack.clientId]);
    expect(server.storedClientIds()).toEqual([ack.clientId]);
    expect(server.hellos.map(({ kind }) => kind)).toEqual(['http', 'http']);
    expect(client.pending()).toEqual([]);
  });

  it('uses HTTP from the start when there is no WebSocket', async () => {
    vi.stubGlobal('WebSocket', undefined);
    server = await FakeServer.start();
    const client = testClient(server, { WebSocket: undefined });
    expect(client.transport).toBe('http');
    await client.connect();
    expect(server.upgradeAttempts).toBe(0);
    expect(server.hellos[0]!.kind).toBe('http');
  });

  it('treats a 401 on the stream as final', async () => {
    server = await FakeServer.start();
    const client = testClient(server, { transports: ['http'], token: 'v_bad_0123456789ab' });
    await expect(client.connect()).rejects.toMatchObject({ closeCode: closeCodes.unauthorized });
    expect(client.state).toBe('closed');
    await sleep(100);
    expect(server.hellos).toHaveLength(0);
    await expect(client.send({ body: 'x' })).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('counts the stream heartbeat comments as life, and sends no pings over HTTP', async () => {
    server = await FakeServer.start({ heartbeatMs: 1000 });
    const client = testClient(server, { transports: ['http'] });
    await client.connect();
    await sleep(2300); // past twice the heartbeat, with only :hb comments on the stream
    expect(server.hellos).toHaveLength(1);
    expect(client.state).toBe('open');
    expect(server.received.filter((frame) => frame.type === 'ping')).toEqual([]);
  });

  it('finds a silent stream dead within about twice the heartbeat and opens a new one', async () => {
    server = await FakeServer.start({ heartbeatMs: 1000 });
    const client = testClient(server, { transports: ['http'] });
    await client.connect();
    server.silence();
    const silentSince = Date.now();
    await until(() => server!.hellos.length === 2 && client.state === 'open', 4000, 'a new stream');
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(1800);
    expect(Date.now() - silentSince).toBeLessThan(2600);
  });
});
