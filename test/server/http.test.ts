import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { limits } from '../../src/protocol/index.js';
import { loginAgent, startTestServer, storeKinds, visitorClient, type TestServer } from './harness.js';

type Frame = { type: string; code?: string; [key: string]: unknown };

/** A raw socket that records frames and the close, for checks below the transport client. */
function rawSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  const frames: Frame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data) => frames.push(JSON.parse((data as Buffer).toString('utf8')) as Frame));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  return {
    ws,
    frames,
    closed,
    opened,
    send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  };
}

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(storeKinds)('HTTP and WebSocket boundaries on %s', (store) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('answers /healthz when the store answers', async () => {
    server = await startTestServer({ store });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('forbids framing the Hub and sniffing its files', async () => {
    server = await startTestServer({ store });
    for (const path of ['/hub', '/hub/hub.js']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it("serves the widget's module files to any site's pages (CORS)", async () => {
    const assetsDir = mkdtempSync(join(tmpdir(), 'parley-assets-'));
    mkdirSync(join(assetsDir, 'widget'));
    writeFileSync(join(assetsDir, 'widget', 'widget.js'), 'export {};');
    writeFileSync(join(assetsDir, 'widget', 'chunk-a.js'), 'export {};');
    try {
      server = await startTestServer({ store, config: { assetsDir } });
      for (const path of ['/widget.js', '/widget/chunk-a.js']) {
        const response = await fetch(`${server.url}${path}`, { headers: { origin: 'https://shop.example' } });
        expect(response.status, path).toBe(200);
        expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
      }
    } finally {
      rmSync(assetsDir, { recursive: true, force: true });
    }
  });

  it('serves built files precompressed, with the caching their names allow', async () => {
    const assetsDir = mkdtempSync(join(tmpdir(), 'parley-assets-'));
    mkdirSync(join(assetsDir, 'widget'));
    mkdirSync(join(assetsDir, 'hub'));
    const code = `export const greeting = ${JSON.stringify('hello '.repeat(200))};`;
    for (const file of ['widget/widget.js', 'widget/chunk-a1b2.js', 'hub/index.html']) {
      writeFileSync(join(assetsDir, file), code);
      writeFileSync(join(assetsDir, `${file}.br`), brotliCompressSync(code));
    }
    try {
      server = await startTestServer({ store, config: { assetsDir } });
      const get = (path: string, encoding: string) =>
        fetch(`${server!.url}${path}`, { headers: { 'accept-encoding': encoding } });
      const compressed = await get('/widget.js', 'gzip, deflate, br');
      expect(compressed.headers.get('content-encoding')).toBe('br');
      expect(compressed.headers.get('vary')).toContain('Accept-Encoding');
      // What travels is the brotli file (fetch decodes it on arrival).
      expect(Number(compressed.headers.get('content-length'))).toBe(brotliCompressSync(code).length);
      expect(await compressed.text()).toBe(code);
      // A client that cannot decode brotli gets the plain file.
      const plain = await get('/widget.js', 'identity');
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(code);
      // The entry is revalidated within minutes, so a release reaches pages; hashed chunks never change.
      expect(compressed.headers.get('cache-control')).toBe('public, max-age=300');
      expect((await get('/widget/chunk-a1b2.js', 'br')).headers.get('cache-control')).toBe(
        'public, max-age=31536000, immutable',
      );
      const hub = await get('/hub', 'br');
      expect(hub.headers.get('cache-control')).toBe('no-cache');
      expect(hub.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      // A missing file is a plain coded 404, not cached.
      const missing = await get('/widget/chunk-gone.js', 'br');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('cache-control')).toBeNull();
    } finally {
      rmSync(assetsDir, { recursive: true, force: true });
    }
  });

  it('serves a public, cacheable widget config with no visitor data', async () => {
    server = await startTestServer({ store });
    const response = await fetch(`${server.url}/v1/widgets/${server.widgetId}/config`, {
      headers: { origin: 'http://allowed.test' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=15');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://allowed.test');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['name', 'online', 'settings', 'widgetId']);
    const unknown = await fetch(`${server.url}/v1/widgets/6d1d3f9e-8e0a-4a43-9d2c-4a2b1f1e0a11/config`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('enforces the Origin allow-list on CORS, sessions and the WebSocket handshake', async () => {
    server = await startTestServer({ store });
    const preflight = await fetch(`${server.url}/v1/widgets/${server.widgetId}/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://allowed.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://allowed.test');
    const refused = await fetch(`${server.url}/v1/widgets/${server.widgetId}/sessions`, {
      method: 'POST',
      headers: { origin: 'http://evil.test' },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const socket = rawSocket(`${server.url}/v1/ws?widget=${server.widgetId}`, { origin: 'http://evil.test' });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'origin_not_allowed' });

    // A visitor token used from a foreign page is refused at hello too, even without ?widget=.
    const { token } = await visitorClient(server.url, server.widgetId);
    const sneaky = rawSocket(`${server.url}/v1/ws`, { origin: 'http://evil.test' });
    await sneaky.opened;
    sneaky.send({ type: 'hello', v: 1, role: 'visitor', token });
    expect(await sneaky.closed).toEqual({ code: 4403, reason: 'origin_not_allowed' });

    // Agents connect from the server's own origin only.
    const agentToken = await loginAgent(server.url, server.agents[0]!);
    const agentSocket = rawSocket(`${server.url}/v1/ws`, { origin: 'http://evil.test' });
    await agentSocket.opened;
    agentSocket.send({ type: 'hello', v: 1, role: 'agent', token: agentToken });
    expect((await agentSocket.closed).code).toBe(4403);
  });

  it('rate-limits new visitor sessions per address and logins per email', async () => {
    server = await startTestServer({
      store,
      config: {
        rates: {
          messages: { perSecond: 100, burst: 100 },
          sessionsPerIp: { perSecond: 0.001, burst: 3 },
          logins: { perSecond: 0.001, burst: 2 },
        },
      },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(`${server.url}/v1/widgets/${server.widgetId}/sessions`, { method: 'POST' })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const attempt = () =>
      fetch(`${server.url}/v1/agent/login`, {
        method: 'POST',
        body: JSON.stringify({ email: server.agents[0]!.email, password: 'wrong password' }),
      });
    const first = await attempt();
    expect(first.status).toBe(401);
    expect(await first.json()).toEqual({ error: { code: 'unauthorized', message: 'email or password is wrong' } });
    await attempt();
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('gives the same login error whether or not the email exists', async () => {
    server = await startTestServer({ store });
    const login = (email: string) =>
      fetch(`${server.url}/v1/agent/login`, {
        method: 'POST',
        body: JSON.stringify({ email, password: 'not the password' }),
      }).then((r) => r.json());
    expect(await login('nobody@test.local')).toEqual(await login(server.agents[0]!.email));
  });

  it('rate-limits messages per session with a coded error, and keeps the socket', async () => {
    server = await startTestServer({
      store,
      config: {
        rates: {
          messages: { perSecond: 0.001, burst: 2 },
          sessionsPerIp: { perSecond: 1, burst: 100 },
          logins: { perSecond: 1, burst: 10 },
        },
      },
    });
    const { token } = await visitorClient(server.url, server.widgetId);
    const socket = rawSocket(`${server.url}/v1/ws`);
    await socket.opened;
    socket.send({ type: 'hello', v: 1, role: 'visitor', token });
    for (let i = 0; i < 3; i++) socket.send({ type: 'message.send', clientId: `m${i}`, body: `message ${i}` });
    await until(
      () => socket.frames.filter((frame) => frame.type === 'message.ack' || frame.type === 'error').length === 3,
    );
    expect(socket.frames.filter((frame) => frame.type === 'message.ack')).toHaveLength(2);
    expect(socket.frames.find((frame) => frame.type === 'error')).toMatchObject({
      code: 'rate_limited',
      clientId: 'm2',
    });
    socket.send({ type: 'ping', t: 7 });
    await until(() => socket.frames.some((frame) => frame.type === 'pong'));
    socket.ws.close();
  });

  it('answers bad input with coded errors and close codes', async () => {
    server = await startTestServer({ store });
    const { token } = await visitorClient(server.url, server.widgetId);

    const noHello = rawSocket(`${server.url}/v1/ws`);
    await noHello.opened;
    noHello.send({ type: 'ping' });
    expect(await noHello.closed).toEqual({ code: 4400, reason: 'hello_required' });
    expect(noHello.frames[0]).toMatchObject({ type: 'error', code: 'hello_required' });

    const future = rawSocket(`${server.url}/v1/ws`);
    await future.opened;
    future.send({ type: 'hello', v: 2, role: 'visitor', token, capabilities: ['new'] });
    expect(await future.closed).toEqual({ code: 4406, reason: 'unsupported_version' });

    const badToken = rawSocket(`${server.url}/v1/ws`);
    await badToken.opened;
    badToken.send({ type: 'hello', v: 1, role: 'visitor', token: 'v_this-token-does-not-exist' });
    expect(await badToken.closed).toEqual({ code: 4401, reason: 'unauthorized' });

    const visitor = rawSocket(`${server.url}/v1/ws`);
    await visitor.opened;
    visitor.send({ type: 'hello', v: 1, role: 'visitor', token });
    visitor.send({ type: 'message.send', clientId: 'long', body: 'x'.repeat(limits.maxBodyChars + 1) });
    visitor.send({ type: 'message.send', clientId: 'fits', body: 'x'.repeat(limits.maxBodyChars) });
    await until(() => visitor.frames.some((frame) => frame.type === 'message.ack'));
    expect(visitor.frames.find((frame) => frame.type === 'error')).toMatchObject({
      code: 'bad_frame',
      clientId: 'long',
    });
    visitor.send('x'.repeat(limits.maxFrameBytes + 1));
    expect((await visitor.closed).code).toBe(1009);
  });

  it('closes a socket that never says hello', async () => {
    server = await startTestServer({ store, config: { helloTimeoutMs: 100 } });
    const silent = rawSocket(`${server.url}/v1/ws`);
    expect(await silent.closed).toEqual({ code: 4408, reason: 'hello_timeout' });
  });

  it('answers the HTTP fallback with coded errors', async () => {
    server = await startTestServer({ store });
    const noToken = await fetch(`${server.url}/v1/frames`, {
      method: 'POST',
      body: JSON.stringify({ frames: [{ type: 'ping' }] }),
    });
    expect(noToken.status).toBe(401);
    const { token } = await visitorClient(server.url, server.widgetId);
    const mixed = await fetch(`${server.url}/v1/frames`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        frames: [{ type: 'ping', t: 1 }, { type: 'bogus' }, { type: 'message.send', clientId: 'c', body: '   ' }],
      }),
    });
    expect(mixed.status).toBe(200);
    const { frames } = (await mixed.json()) as { frames: Frame[] };
    expect(frames.map((frame) => frame.code ?? frame.type)).toEqual(['pong', 'unknown_type', 'bad_frame']);
    const notJson = await fetch(`${server.url}/v1/frames`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{nope',
    });
    expect(await notJson.json()).toMatchObject({ error: { code: 'bad_frame' } });
    const stream = await fetch(`${server.url}/v1/stream`, { method: 'POST', body: JSON.stringify({ type: 'ping' }) });
    expect(await stream.json()).toMatchObject({ error: { code: 'hello_required' } });
  });
});
