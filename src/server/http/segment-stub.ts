/**
 * A stand-in for Segment, mounted under `/demo/segment` in demo mode only, so the Segment example
 * and the browser tests run without the internet: analytics.js posts its events to the tracking
 * API stub (`apiHost: "<server>/demo/segment/v1"`), which logs each one and keeps the latest in
 * memory for `GET /demo/segment/events`; analytics-next's own build is served as its "CDN".
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** One event as analytics.js sent it (`type`, `event`, `userId`, `traits`, `properties`, `context` …). */
export type StubbedEvent = Record<string, unknown> & { type: string };

/** Events kept for `GET /demo/segment/events`; older ones drop out. */
export const keptEvents = 200;
/** Segment's own limit for a batch request; a single call is far smaller. */
const maxBodyBytes = 512 * 1024;

/** The headers analytics.js (1.84) sets on its calls to the tracking API; a cross-origin page needs them allowed. */
const requestHeaders = 'authorization, content-type, x-retry-count';

/** The tracking API's paths: one letter per call type, and `b` (or `batch`) for a batch. */
const callTypes: Record<string, string> = {
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The events of one request body, each with its type, or undefined when the body is not one. */
function eventsOf(kind: string, body: unknown): StubbedEvent[] | undefined {
  if (kind === 'b' || kind === 'batch') {
    const batch = isRecord(body) ? body.batch : undefined;
    return Array.isArray(batch) && batch.every((event) => isRecord(event) && typeof event.type === 'string')
      ? (batch as StubbedEvent[])
      : undefined;
  }
  const type = callTypes[kind];
  return type && isRecord(body) ? [{ ...body, type }] : undefined;
}

/** analytics-next's browser build (dist/umd) where this checkout installed it, if it did. */
function analyticsNextBuild(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@segment/analytics-next/package.json');
    return relative(process.cwd(), join(dirname(manifest), 'dist/umd')) || '.';
  } catch {
    return undefined;
  }
}

/**
 * The stub's routes, relative to where they are mounted (`/demo/segment`):
 * `POST /v1/{t,i,p,s,g,a,b,batch,m}`, `GET /events` (`{ events }`, oldest first),
 * `DELETE /events`, and `GET /cdn/analytics-next/bundles/*` (analytics-next's browser build).
 *
 * @example
 * app.route('/demo/segment', segmentStub('/demo/segment'));
 */
export function segmentStub(mountedAt: string, log = (line: string) => console.log(line)): Hono {
  const events: StubbedEvent[] = [];
  const app = new Hono();
  // Demo data only, and pages on any origin (browser tests serve theirs from another port) may post.
  app.use('*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
  });
  app.options('*', (c) => {
    // analytics.js sends its write key as Basic `authorization`, and counts retries in `x-retry-count`.
    c.header('Access-Control-Allow-Headers', requestHeaders);
    c.header('Access-Control-Allow-Methods', 'GET, POST, DELETE');
    return c.body(null, 204);
  });

  app.post('/v1/:kind', async (c) => {
    const kind = c.req.param('kind');
    const text = await c.req.text();
    if (text.length > maxBodyBytes) {
      return c.json({ error: { code: 'too_large', message: 'the body is too large' } }, 413);
    }
    // Metrics about analytics.js itself: accepted and dropped.
    if (kind === 'm') return c.json({ success: true });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ error: { code: 'bad_frame', message: 'the body is not JSON' } }, 400);
    }
    const received = eventsOf(kind, body);
    if (!received) return c.json({ error: { code: 'bad_frame', message: `not a Segment "${kind}" call` } }, 400);
    for (const event of received) {
      const name = typeof event.event === 'string' ? ` "${event.event}"` : '';
      log(`segment stub: ${event.type}${name} ${JSON.stringify(event.properties ?? event.traits ?? {})}`);
      events.push(event);
    }
    events.splice(0, Math.max(0, events.length - keptEvents));
    return c.json({ success: true });
  });
  app.get('/events', (c) => c.json({ events }));
  app.delete('/events', (c) => {
    events.length = 0;
    return c.body(null, 204);
  });

  const build = analyticsNextBuild();
  const bundles = `${mountedAt}/cdn/analytics-next/bundles`;
  app.get(
    '/cdn/analytics-next/bundles/*',
    build
      ? serveStatic({ root: build, rewriteRequestPath: (path) => path.slice(bundles.length) })
      : (c) => c.json({ error: { code: 'not_found', message: 'install @segment/analytics-next (npm install)' } }, 404),
  );
  return app;
}
