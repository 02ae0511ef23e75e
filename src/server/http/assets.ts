/**
 * The built files the server hands to browsers: the widget (entry, chunks, snippet), the browser
 * transport, the Segment destination, the Hub and, in demo mode, the examples. Files come
 * precompressed (brotli, then gzip; `npm run build` writes them), and each kind gets the caching
 * its name allows: content-hashed chunks forever, the rest revalidated.
 */
import { relative } from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { ServerConfig } from '../config.js';

type Env = { Bindings: HttpBindings };

/** How long a browser may use `/widget.js` and `/snippet.js` unasked: a release reaches pages within it. */
export const entryMaxAgeSeconds = 300;

/** Sets response headers; an error is never cached, whatever the file's kind. */
function headers(values: Record<string, string>): MiddlewareHandler<Env> {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(values)) {
      if (name !== 'Cache-Control' || c.res.status < 400) c.header(name, value);
    }
  };
}

/**
 * The widget's files load as module scripts on customers' pages, which browsers fetch in CORS mode:
 * without this header no cross-origin page could run the widget. They are public and sent
 * without credentials, so any origin may read them.
 */
const anyOrigin = { 'Access-Control-Allow-Origin': '*' };
const entry = { ...anyOrigin, 'Cache-Control': `public, max-age=${entryMaxAgeSeconds}` };
/** Chunk names carry a hash of their content, so a cached copy is never stale. */
const hashed = { ...anyOrigin, 'Cache-Control': 'public, max-age=31536000, immutable' };
/** The Hub may not be framed (clickjacking) nor have its files sniffed as another type. */
const hub = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/**
 * Adds the routes of the built files (and of the examples with `--demo`) to the app.
 *
 * @example
 * mountAssets(app, config); // GET /widget.js, /widget/*, /snippet.js, /browser/*, /destinations/*, /hub
 */
export function mountAssets(app: Hono<Env>, config: Pick<ServerConfig, 'assetsDir' | 'examplesDir' | 'demo'>): void {
  const fromCwd = (dir: string) => relative(process.cwd(), dir) || '.';
  const files = (options: { path?: string } = {}) =>
    serveStatic<Env>({ root: fromCwd(config.assetsDir), precompressed: true, ...options });

  app.get('/widget.js', headers(entry), files({ path: 'widget/widget.js' }));
  app.get('/widget/*', headers(hashed), files());
  app.get('/snippet.js', headers(entry), files({ path: 'snippet/snippet.js' }));
  app.get('/browser/*', headers(entry), files());
  app.get('/destinations/*', headers(entry), files());
  app.get('/hub', headers(hub), files({ path: 'hub/index.html' }));
  app.get('/hub/*', headers(hub), files());
  if (config.demo) {
    app.get(
      '/examples/*',
      serveStatic({ root: fromCwd(config.examplesDir), rewriteRequestPath: (path) => path.replace(/^\/examples/, '') }),
    );
  }
}
