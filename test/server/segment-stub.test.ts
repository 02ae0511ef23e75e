/**
 * The demo server's stand-in for Segment: it takes analytics.js's calls as Segment's tracking API
 * does, logs each event and keeps the latest for the page or a test to read; it serves
 * analytics-next's browser build as Segment's CDN would; and none of it exists outside demo mode.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keptEvents } from '../../src/server/http/segment-stub.js';
import { startTestServer, type TestServer } from './harness.js';

describe('Segment API stub', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    vi.restoreAllMocks();
  });

  const start = async (demo: boolean) => (server = await startTestServer({ config: { demo } }));
  /** A call as analytics.js makes it: JSON in a text/plain body, from a page on another origin. */
  const post = (path: string, body: unknown) =>
    fetch(`${server!.url}/demo/segment/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://shop.test' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stored = async () =>
    ((await (await fetch(`${server!.url}/demo/segment/events`)).json()) as { events: Record<string, unknown>[] })
      .events;

  it('logs and keeps each call, single or batched, for GET /demo/segment/events', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await start(true);
    const track = await post('t', { event: 'Live Chat Message Sent', properties: { conversation_id: 'c1' } });
    expect(track.status).toBe(200);
    expect(track.headers.get('access-control-allow-origin')).toBe('*');
    expect(await track.json()).toEqual({ success: true });
    await post('i', { userId: 'u1', traits: { email: 'ada@example.com' } });
    await post('b', {
      batch: [
        { type: 'page', properties: { path: '/pricing' } },
        { type: 'track', event: 'Live Chat Conversation Ended', properties: { conversation_id: 'c1' } },
      ],
    });
    // Metrics about analytics.js itself are accepted and not kept.
    expect((await post('m', { series: [] })).status).toBe(200);

    expect(await stored()).toEqual([
      { type: 'track', event: 'Live Chat Message Sent', properties: { conversation_id: 'c1' } },
      { type: 'identify', userId: 'u1', traits: { email: 'ada@example.com' } },
      { type: 'page', properties: { path: '/pricing' } },
      { type: 'track', event: 'Live Chat Conversation Ended', properties: { conversation_id: 'c1' } },
    ]);
    expect(log.mock.calls.map(([line]) => line as unknown)).toEqual([
      'segment stub: track "Live Chat Message Sent" {"conversation_id":"c1"}',
      'segment stub: identify {"email":"ada@example.com"}',
      'segment stub: page {"path":"/pricing"}',
      'segment stub: track "Live Chat Conversation Ended" {"conversation_id":"c1"}',
    ]);

    const cleared = await fetch(`${server!.url}/demo/segment/events`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(await stored()).toEqual([]);
  });

  it('lets a page on another origin send what analytics.js sends: its write key and retry count', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await start(true);
    const preflight = await fetch(`${server!.url}/demo/segment/v1/i`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://shop.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-retry-count',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
    const identify = await fetch(`${server!.url}/demo/segment/v1/i`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'http://shop.test',
        authorization: `Basic ${btoa('parley-demo:')}`,
        'x-retry-count': '1',
      },
      body: JSON.stringify({ userId: 'u1', traits: { email: 'ada@example.com' } }),
    });
    expect(identify.status).toBe(200);
    expect(await stored()).toEqual([{ type: 'identify', userId: 'u1', traits: { email: 'ada@example.com' } }]);
  });

  it(`keeps the latest ${keptEvents} events`, async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await start(true);
    const batch = Array.from({ length: keptEvents + 5 }, (_, index) => ({ type: 'track', event: `E${index}` }));
    await post('batch', { batch });
    const events = await stored();
    expect(events).toHaveLength(keptEvents);
    expect(events[0]).toEqual({ type: 'track', event: 'E5' });
    expect(events.at(-1)).toEqual({ type: 'track', event: `E${keptEvents + 4}` });
  });

  it('answers what is not a Segment call with a coded error and keeps nothing', async () => {
    await start(true);
    const malformed = await post('t', '{not json');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'bad_frame', message: 'the body is not JSON' } });
    expect((await post('x', { event: 'X' })).status).toBe(400);
    expect((await post('t', ['not', 'an', 'event'])).status).toBe(400);
    expect((await post('b', { batch: [{ event: 'no type' }] })).status).toBe(400);
    const large = await post('t', { event: 'Big', properties: { body: 'x'.repeat(600 * 1024) } });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { code: 'too_large' } });
    expect(await stored()).toEqual([]);
  });

  it("serves analytics-next's browser build as its CDN", async () => {
    await start(true);
    const response = await fetch(`${server!.url}/demo/segment/cdn/analytics-next/bundles/index.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toContain('AnalyticsNext');
  });

  it('does not exist outside demo mode', async () => {
    await start(false);
    expect((await post('t', { event: 'X' })).status).toBe(404);
    expect((await fetch(`${server!.url}/demo/segment/events`)).status).toBe(404);
    expect((await fetch(`${server!.url}/demo/segment/cdn/analytics-next/bundles/index.js`)).status).toBe(404);
  });
});
