/**
 * The four guards of DESIGN.md's "Layout and boundaries": each one must make a wrong import
 * fail, so each is probed with a wrong import here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { rollup } from 'rollup';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { boundary, destinationsBoundary, folders } from '../../eslint.config.mjs';
import { browserGuard, typesOnlyGuard } from '../../rollup.config.mjs';

const root = new URL('../../', import.meta.url).pathname;
const probes = mkdtempSync(join(tmpdir(), 'parley-probe-'));
afterAll(() => rmSync(probes, { recursive: true, force: true }));

/** The boundary rules' messages for `code` as a file of `folder` (`sdk`, or `destinations/segment`). */
async function lintAs(folder: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } },
      ...folders.map(boundary),
      destinationsBoundary,
    ],
  });
  const path = folder.startsWith('destinations/') ? folder : `src/${folder}`;
  const [result] = await eslint.lintText(code, { filePath: join(root, `${path}/probe.ts`) });
  return result!.messages.map((message) => message.message);
}

describe('import boundaries', () => {
  it('lint: each folder may import only what DESIGN.md allows', async () => {
    expect(await lintAs('protocol', "import { x } from '../server/index.js';")).toEqual([
      expect.stringMatching(/may not import src\/server/),
    ]);
    expect(await lintAs('protocol', "import { x } from '../transport/index.js';")).toEqual([
      expect.stringMatching(/may not import src\/transport/),
    ]);
    expect(await lintAs('transport', "import { WebSocket } from 'ws';")).toEqual([
      expect.stringMatching(/runs in browsers/),
    ]);
    expect(await lintAs('widget', "import { readFileSync } from 'node:fs';")).toEqual([
      expect.stringMatching(/runs in browsers/),
    ]);
    expect(await lintAs('server', "import { h } from 'preact';")).toEqual([expect.stringMatching(/UI packages/)]);
    expect(await lintAs('server', "import { createClient } from '../transport/index.js';")).toEqual([
      expect.stringMatching(/may not import src\/transport/),
    ]);
    expect(await lintAs('snippet', "import { limits } from '../protocol/index.js';")).toEqual([
      expect.stringMatching(/may not import src\/protocol/),
    ]);
    // Allowed imports pass.
    expect(await lintAs('transport', "import { limits } from '../protocol/index.js';")).toEqual([]);
    expect(await lintAs('server', "import { limits } from '../protocol/index.js';")).toEqual([]);
  });

  it('lint: destinations import Parley by its package entry and analytics-next as types only', async () => {
    const segment = (code: string) => lintAs('destinations/segment', code);
    expect(await segment("import { createChat } from '../../src/sdk/index.js';")).toEqual([
      expect.stringMatching(/by its package entry, 'parley'/),
    ]);
    expect(await segment("import { AnalyticsBrowser } from '@segment/analytics-next';")).toEqual([
      expect.stringMatching(/import its types only/),
    ]);
    expect(await segment("import { WebSocket } from 'ws';")).toEqual([expect.stringMatching(/run in browsers/)]);
    expect(await segment("import type { Plugin } from '@segment/analytics-next';")).toEqual([]);
    expect(await segment("import type { ParleyApi } from 'parley';")).toEqual([]);
  });

  it('rollup: a browser bundle cannot reach node:*, ws or src/server', async () => {
    const entry = (name: string, code: string) => {
      const file = join(probes, name);
      writeFileSync(file, code);
      return file;
    };
    const build = (input: string) => rollup({ input, plugins: [browserGuard()], logLevel: 'silent' });
    await expect(
      build(entry('node.js', "import { readFileSync } from 'node:fs'; console.log(readFileSync);")),
    ).rejects.toThrow(/browser bundle may not import "node:fs"/);
    await expect(build(entry('ws.js', "import WebSocket from 'ws'; console.log(WebSocket);"))).rejects.toThrow(
      /may not import "ws"/,
    );
    const server = join(root, 'src/server/browser.ts');
    await expect(build(entry('server.js', `import '${server}';`))).rejects.toThrow(/may not include server code/);
  });

  it('rollup: a destination cannot bundle analytics-next or Parley at run time', async () => {
    const build = (code: string) => {
      const file = join(probes, 'destination.js');
      writeFileSync(file, code);
      return rollup({ input: file, plugins: [typesOnlyGuard()], logLevel: 'silent' });
    };
    await expect(
      build("import { AnalyticsBrowser } from '@segment/analytics-next'; console.log(AnalyticsBrowser);"),
    ).rejects.toThrow(/imports "@segment\/analytics-next" at run time/);
    await expect(build("import { createChat } from 'parley'; console.log(createChat);")).rejects.toThrow(
      /imports "parley" at run time/,
    );
  });

  it('tsc: browser code has no Node types and server code has no DOM', async () => {
    const check = async (tsconfig: string, code: string) => {
      const dir = mkdtempSync(join(probes, 'tsc-'));
      writeFileSync(join(dir, 'probe.ts'), code);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: join(root, tsconfig),
          compilerOptions: { noEmit: true, rootDir: dir, typeRoots: [join(root, 'node_modules/@types')] },
          include: [],
          files: ['probe.ts'],
        }),
      );
      try {
        await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir]);
        return '';
      } catch (error) {
        return (error as { stdout: string }).stdout;
      }
    };
    expect(await check('tsconfig.json', 'export const argv = process.argv;')).toMatch(/Cannot find name 'process'/);
    expect(await check('tsconfig.server.json', 'export const title = document.title;')).toMatch(
      /Cannot find name 'document'/,
    );
    expect(await check('tsconfig.json', 'export const title = document.title;')).toBe('');
    expect(await check('tsconfig.destinations.json', 'export const argv = process.argv;')).toMatch(
      /Cannot find name 'process'/,
    );
  });

  it('package: the browser condition of parley/server throws instead of shipping the server', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    expect(pkg.exports['./server']!.browser).toBe('./dist/node/server/browser.js');
    await expect(import(join(root, 'dist/node/server/browser.js'))).rejects.toThrow(/cannot run in a browser/);
  });
});
