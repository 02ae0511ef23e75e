/**
 * The built destination as users get it: `parley/segment` from npm (a self-contained module and
 * its types, which see Parley and analytics-next by their package names), and the same file served
 * by the Parley server to any site at /destinations/segment.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { parleyDestination as ParleyDestination } from '../../../destinations/segment/index.js';
import { startTestServer, type TestServer } from '../../server/harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

describe('parley/segment', () => {
  let server: TestServer;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'destinations/segment.js'))) {
      throw new Error('dist/destinations/segment.js is missing: run `npm run build` (as `npm test` does) first');
    }
    server = await startTestServer({ config: { assetsDir: dist } });
  });
  afterAll(() => server?.close());

  it('ships a module that imports nothing at run time, with its type declarations', async () => {
    const entry = manifest.exports['./segment']!;
    const code = readFileSync(join(root, entry.default), 'utf8');
    expect(code).not.toMatch(/\bimport\s*[\s{("'*]/);
    const built = (await import(join(root, entry.default))) as { parleyDestination: typeof ParleyDestination };
    const { parleyDestination } = built;
    expect(parleyDestination({ listen: true })).toMatchObject({ name: 'Parley', type: 'destination' });

    const types = readFileSync(join(root, entry.types), 'utf8');
    expect(types).toContain('parleyDestination');
    const settings = readFileSync(join(dirnameOf(entry.types), 'settings.d.ts'), 'utf8');
    expect(settings).toContain("from 'parley'");
    const plugin = readFileSync(join(dirnameOf(entry.types), 'plugin.d.ts'), 'utf8');
    expect(plugin).toContain("from '@segment/analytics-next'");
  });

  it('is served to any site at /destinations/segment.js', async () => {
    const response = await fetch(`${server.url}/destinations/segment.js`, { headers: { origin: 'https://shop.test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toBe(readFileSync(join(dist, 'destinations/segment.js'), 'utf8'));
  });
});

function dirnameOf(path: string): string {
  return join(root, path, '..');
}
