/**
 * The host site: a small static server on its own loopback port, so the widget runs cross-origin
 * as on a customer's site. Pages are HTML strings registered by path, each with its own headers
 * (a strict CSP, say); the page helpers build the snippet page the README tells site owners to make.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';

const snippetFile = fileURLToPath(new URL('../../../dist/snippet/snippet.js', import.meta.url));

export interface HostSite {
  /** e.g. `http://127.0.0.1:41234`: the origin the widget's allow-list must name. */
  origin: string;
  /** Serves `body` at `path` (with the content type from its extension, `.html` when none). */
  serve(path: string, body: string, headers?: Record<string, string>): string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/**
 * Starts a host site on 127.0.0.1 with a free port; unknown paths answer 404.
 * @example
 * const site = await startHostSite();
 * const url = site.serve('/index.html', snippetPage({ server, widgetId }));
 */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, { body: string; headers: Record<string, string> }>();
  const server: Server = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? '/', 'http://site').pathname);
    // No favicon: an empty answer keeps the browser's console free of 404 noise.
    if (!page) return void response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
    response.writeHead(200, { 'cache-control': 'no-store', ...page.headers }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    origin,
    serve(path, body, headers = {}) {
      const extension = /\.(\w+)$/.exec(path)?.[1] ?? 'html';
      pages.set(new URL(path, origin).pathname, {
        body,
        headers: { 'content-type': contentTypes[extension] ?? 'application/octet-stream', ...headers },
      });
      return new URL(path, origin).toString();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SnippetPageOptions {
  /** The Parley server's origin. */
  server: string;
  widgetId: string;
  title?: string;
  /** Extra `data-*` settings of the snippet tag, e.g. `{ consent: 'required' }`. */
  data?: Record<string, string>;
  /** Markup before the snippet. */
  head?: string;
  /** Markup right after the snippet: the site's own calls, such as `Parley('setDefaultImplicitConsent', false)`. */
  afterSnippet?: string;
  body?: string;
  /**
   * `inline` pastes the README's snippet into the page; `src` loads `/snippet.js` from the server,
   * the README's way for pages whose CSP forbids inline scripts.
   */
  snippet?: 'inline' | 'src';
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A host page with the snippet, as the README shows it.
 * @example
 * snippetPage({ server: 'http://127.0.0.1:8787', widgetId, data: { consent: 'required' } });
 */
export function snippetPage(options: SnippetPageOptions): string {
  const attributes = Object.entries({ widget: options.widgetId, ...options.data })
    .map(([name, value]) => ` data-${name}="${escapeAttribute(value)}"`)
    .join('');
  const snippet =
    options.snippet === 'src'
      ? `<script defer src="${options.server}/snippet.js"${attributes}></script>`
      : `<script${attributes} data-server="${options.server}">${readFileSync(snippetFile, 'utf8')}</script>`;
  return hostPage({
    title: options.title,
    head: `${options.head ?? ''}\n    ${snippet}\n    ${options.afterSnippet ?? ''}`,
    body: options.body,
  });
}

/** A page of the host site: the head's markup (scripts, styles) and the main content. */
function hostPage(parts: { title?: string | undefined; head: string; body?: string | undefined }): string {
  const title = parts.title ?? 'Host page';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    ${parts.head}
  </head>
  <body>
    <main><h1>${title}</h1>${parts.body ?? '<p>A page of the site.</p>'}</main>
  </body>
</html>`;
}

export interface SegmentPageOptions {
  /** The Parley server's origin: in demo mode it serves analytics-next, the destination and the Segment stub. */
  server: string;
  widgetId: string;
  /** The Segment source's write key (default `parley-e2e`). */
  writeKey?: string;
}

/**
 * A host page as a Segment customer builds it, without the Parley snippet: analytics-next's browser
 * build, the Parley destination imported from the Parley server with "Record live chat events" on,
 * inline source settings (no request for them to Segment's CDN), and Segment's API host pointed at
 * the server's stub. Everything comes from the server's loopback origin; `window.analytics` is the
 * loaded AnalyticsBrowser. The server must run in demo mode.
 * @example
 * site.serve('/shop.html', segmentPage({ server: server.url, widgetId: server.widgetId }));
 */
export function segmentPage(options: SegmentPageOptions): string {
  const writeKey = options.writeKey ?? 'parley-e2e';
  const server = new URL(options.server);
  // analytics.js takes the API host without its scheme, and the scheme on its own.
  const segmentApi = { apiHost: `${server.host}/demo/segment/v1`, protocol: server.protocol.slice(0, -1) };
  const settings = {
    integrations: { 'Segment.io': { apiKey: writeKey, ...segmentApi } },
    // analytics.js's metrics about itself would go to Segment.
    metrics: { sampleRate: 0 },
  };
  const destination = { widgetId: options.widgetId, server: server.origin, recordLiveChatEvents: true };
  return hostPage({
    title: 'Segment page',
    head: `<script>window.analytics = { _cdn: ${JSON.stringify(`${server.origin}/demo/segment/cdn`)} };</script>
    <script src="${server.origin}/demo/segment/cdn/analytics-next/bundles/index.js"></script>
    <script type="module">
      import { parleyDestination } from ${JSON.stringify(`${server.origin}/destinations/segment.js`)};
      window.analytics = AnalyticsNext.AnalyticsBrowser.load(
        { writeKey: ${JSON.stringify(writeKey)}, cdnSettings: ${JSON.stringify(settings)}, plugins: [parleyDestination(${JSON.stringify(destination)})] },
        { integrations: { 'Segment.io': ${JSON.stringify(segmentApi)} } },
      );
    </script>`,
  });
}
