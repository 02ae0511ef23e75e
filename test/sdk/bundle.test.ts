/**
 * The built widget as the server serves it: the entry at /widget.js and its chunks under
 * /widget/ resolve to real files, every chunk reaches the entry by the URL the snippet loaded
 * (so the browser runs it once), and the npm entry ships with its type declarations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');

/** Every import specifier in a module, static or dynamic. */
function importsOf(code: string): string[] {
  return [...code.matchAll(/(?:\bimport|\bfrom)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]!);
}

describe('built widget', () => {
  let server: TestServer;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'widget/widget.js'))) {
      throw new Error('dist/widget/widget.js is missing: run `npm run build` (as `npm test` does) before these tests');
    }
    server = await startTestServer({ config: { assetsDir: dist, demo: true, examplesDir: join(root, 'examples') } });
  });

  afterAll(() => server?.close());

  it('serves the entry and every chunk it reaches, with one URL for the entry', async () => {
    const entryUrl = `${server.url}/widget.js`;
    const seen = new Map<string, string>();
    const queue = [entryUrl];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      const code = await response.text();
      seen.set(url, code);
      for (const specifier of importsOf(code)) {
        const target = new URL(specifier, url).href;
        if (target.endsWith('/widget.js')) expect(target).toBe(entryUrl);
        queue.push(target);
      }
    }
    // The entry, the SDK's core, the connection engine and the chat box at least.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect([...seen.keys()].filter((url) => url !== entryUrl).every((url) => url.includes('/widget/chunk-'))).toBe(
      true,
    );
    for (const code of seen.values()) expect(code).not.toMatch(/\beval\(|new Function\(/);
  });

  it('serves the snippet as built', async () => {
    const response = await fetch(`${server.url}/snippet.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync(join(dist, 'snippet/snippet.js'), 'utf8'));
  });

  it('serves the example pages in demo mode, with no inline script or style attribute', async () => {
    for (const name of ['index.html', 'consent.html', 'inline.html', 'spa.html', 'segment.html']) {
      const response = await fetch(`${server.url}/examples/${name}`);
      expect(response.status, name).toBe(200);
      const html = await response.text();
      // Strict CSP pages (no 'unsafe-inline') must be able to copy these pages as they are.
      expect(html, name).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, name).not.toMatch(/\sstyle=/);
      expect(html, name).not.toMatch(/\son[a-z]+=/);
      for (const [, asset] of html.matchAll(/(?:src|href)="([\w-]+\.(?:js|css))"/g)) {
        const assetResponse = await fetch(`${server.url}/examples/${asset}`);
        expect(assetResponse.status, `${name} → ${asset}`).toBe(200);
      }
    }
  });

  it('ships the npm entry with its type declarations', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
    };
    const entry = manifest.exports['.']!;
    expect(existsSync(join(root, entry.default))).toBe(true);
    const types = readFileSync(join(root, entry.types), 'utf8');
    expect(types).toContain('createChat');
    expect(types).toContain('ParleyApi');
    const source = readFileSync(join(root, entry.default), 'utf8');
    expect(source).toMatch(/export\s*\{[^}]*createChat/);
  });
});
