import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeCodes } from '../../src/protocol/index.js';
import { ClientClosedError, type CloseInfo } from '../../src/transport/index.js';
import { FakeServer, until } from './fake-server.js';
import { closeClients, next, sleep, testClient } from './support.js';

let server: FakeServer | undefined;

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
  vi.unstubAllGlobals();
});

describe('client lifecycle', { timeout: 5000 }, () => {
  it.each([
    ['unauthorized', closeCodes.unauthorized],
    ['origin_not_allowed', closeCodes.origin_not_allowed],
    ['unsupported_version', closeCodes.unsupported_version],
    ['session_ended', closeCodes.session_ended],
  ])('does not retry after the final close code %s', async (_name, code) => {
    server = await FakeServer.start();
    server.refuseHelloWith = code;
    const client = testClient(server);
    const closes: CloseInfo[] = [];
    client.on('closed', (info) => closes.push(info));
    const waiting = client.send({ body: 'never sent' });

    const connected = client.connect();
    await expect(connected).rejects.toBeInstanceOf(ClientClosedError);
    await expect(connected).rejects.toMatchObject({ closeCode: code });
    await expect(waiting).rejects.toMatchObject({ name: 'ClientClosedError', closeCode: code });
    expect(client.state).toBe('closed');
    expect(closes).toEqual([{ code, reason: 'refused', final: true }]);
    await sleep(150); // many backoff windows of 10-40 ms
    expect(server.upgradeAttempts).toBe(1);
    await expect(client.send({ body: 'after' })).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('retries non-final closes with the injected full-jitter backoff, then resets it on welcome', async () => {
    server = await FakeServer.start();
    server.refuseHelloWith = closeCodes.internal;
    const client = testClient(server, { backoff: { minMs: 100, maxMs: 1000, random: () => 0.5 } });
    const closes: CloseInfo[] = [];
    const states: string[] = [];
    client.on('closed', (info) => {
      closes.push(info);
      if (closes.length === 3) server!.refuseHelloWith = undefined;
    });
    client.on('state', ({ state }) => states.push(state));
    const started = Date.now();

    await client.connect();

    expect(closes).toEqual(Array.from({ length: 3 }, () => ({ code: 1011, reason: 'refused', final: false })));
    expect(server.hellos).toHaveLength(4);
    // Delays of 0.5 × 100, 200, 400 ms: at least 350 ms in all, and not much more.
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(340);
    expect(elapsed).toBeLessThan(1000);
    // It had never opened, so it stayed "connecting" rather than "reconnecting".
    expect(states).toEqual(['connecting', 'open']);

    // After the welcome the window is back at its smallest: 0.5 × 100 ms.
    const lost = Date.now();
    for (const connection of server.connections) connection.kill();
    await until(() => server!.hellos.length === 5 && client.state === 'open', 2000, 'reconnect');
    expect(Date.now() - lost).toBeLessThan(300);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('ends for good on session.ended', async () => {
    server = await FakeServer.start();
    const client = testClient(server);
    await client.connect();
    const closed = next<CloseInfo>((handler) => client.on('closed', handler));
    server.publish({ type: 'session.ended', reason: 'logout' });
    expect(await closed).toEqual({ code: closeCodes.session_ended, reason: 'session ended: logout', final: true });
    expect(client.state).toBe('closed');
    await sleep(100);
    expect(server.hellos).toHaveLength(1);
  });

  it('close() is final: waiting sends reject, no reconnect, connect() rejects', async () => {
    server = await FakeServer.start();
    const client = testClient(server);
    await client.connect();
    server.ackMode = 'withhold';
    const waiting = client.send({ body: 'unanswered' });
    await until(() => server!.sends().length === 1);
    client.close();
    await expect(waiting).rejects.toMatchObject({ name: 'ClientClosedError', closeCode: 1000 });
    await expect(client.connect()).rejects.toBeInstanceOf(ClientClosedError);
    await until(() => server!.connections.size === 0, 1000, 'the server to see the close');
    await sleep(100);
    expect(server.hellos).toHaveLength(1);
  });

  it('pings every heartbeat and finds a silent link dead within about twice the heartbeat', async () => {
    server = await FakeServer.start({ heartbeatMs: 1000 }); // the protocol's smallest heartbeat
    const client = testClient(server, { heartbeatMs: 200 }); // the welcome's value wins
    await client.connect();
    await until(() => server!.received.some((frame) => frame.type === 'ping'), 1500, 'a ping');
    expect(client.state).toBe('open');

    server.silence(); // the socket stays up but nothing more comes through
    const silentSince = Date.now();
    await until(() => server!.hellos.length === 2 && client.state === 'open', 4000, 'a new link');
    const detectedAfter = Date.now() - silentSince;
    expect(detectedAfter).toBeGreaterThanOrEqual(1800);
    expect(detectedAfter).toBeLessThan(2600);
  });

  it('gives up on a link whose hello is never answered, after twice the heartbeat', async () => {
    server = await FakeServer.start();
    server.answerHello = false;
    const client = testClient(server, { heartbeatMs: 200 });
    const closes: CloseInfo[] = [];
    client.on('closed', (info) => {
      closes.push(info);
      server!.answerHello = true;
    });
    const started = Date.now();
    await client.connect();
    const elapsed = Date.now() - started;
    expect(server.hellos).toHaveLength(2);
    expect(closes).toHaveLength(1);
    expect(closes[0]!.reason).toMatch(/no sign of life/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(900);
  });

  it('reconnects at once on online and visibilitychange, and removes its listeners on close', async () => {
    const listeners = new Map<string, () => void>();
    const addEventListener = vi.fn((type: string, listener: () => void) => listeners.set(type, listener));
    const removeEventListener = vi.fn((type: string, listener: () => void) => {
      if (listeners.get(type) === listener) listeners.delete(type);
    });
    const document = { visibilityState: 'visible' };
    vi.stubGlobal('addEventListener', addEventListener);
    vi.stubGlobal('removeEventListener', removeEventListener);
    vi.stubGlobal('document', document);
    server = await FakeServer.start();
    // A minute of backoff: only the wake-up events can bring it back within the test.
    const client = testClient(server, { backoff: { minMs: 60_000, maxMs: 60_000, random: () => 0.99 } });
    await client.connect();
    expect([...listeners.keys()].sort()).toEqual(['online', 'visibilitychange']);

    const drop = async () => {
      const closed = next<CloseInfo>((handler) => client.on('closed', handler));
      for (const connection of server!.connections) connection.kill();
      await closed;
      expect(client.state).toBe('reconnecting');
    };

    await drop();
    listeners.get('online')!();
    await until(() => server!.hellos.length === 2 && client.state === 'open', 1000, 'online reconnect');

    await drop();
    document.visibilityState = 'hidden';
    listeners.get('visibilitychange')!();
    await sleep(100);
    expect(server.hellos).toHaveLength(2);
    document.visibilityState = 'visible';
    listeners.get('visibilitychange')!();
    await until(() => server!.hellos.length === 3 && client.state === 'open', 1000, 'visible reconnect');

    client.close();
    expect(listeners.size).toBe(0);
    expect(removeEventListener).toHaveBeenCalledTimes(2);
  });
});
