// Browser builds. The guard stops any browser bundle from reaching Node built-ins, `ws` or
// src/server: a wrong import fails the build instead of shipping.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { hubBuild } from './scripts/rollup-hub.mjs';

// Path arithmetic rather than `new URL(…)`: tests import this file under happy-dom, whose URL class
// fileURLToPath does not accept.
const serverDir = join(dirname(fileURLToPath(import.meta.url)), 'src/server/');
const compactValibot = join(dirname(fileURLToPath(import.meta.url)), 'src/protocol/valibot-compact.ts');

/** Fails the build when browser code imports something that only runs on the server. */
export function browserGuard() {
  const forbidden = (id) =>
    id.startsWith('node:') || id === 'ws' || id.startsWith('ws/') || id.includes('better-sqlite3') || id === 'pg';
  return {
    name: 'parley-browser-guard',
    resolveId(source, importer) {
      if (forbidden(source)) this.error(`browser bundle may not import "${source}" (from ${importer ?? 'entry'})`);
      return null;
    },
    load(id) {
      if (id.startsWith(serverDir)) this.error(`browser bundle may not include server code: ${id}`);
      return null;
    },
  };
}

/**
 * The server serves the widget's entry at `/widget.js` and its chunks under `/widget/`. Rollup
 * writes imports relative to the files' places in dist/widget/, so the entry's imports of chunks
 * (`./chunk-….js`) gain the folder, and the chunks' imports of the entry (`./widget.js`) go up to
 * `/widget.js`: the same URL the snippet loaded, so the browser runs the entry module once.
 */
export function servedLayout(entryFileName) {
  const entryImport = new RegExp(`(["'])\\./${entryFileName.replace('.', '\\.')}\\1`, 'g');
  return {
    name: 'parley-served-layout',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code =
          chunk.fileName === entryFileName
            ? chunk.code.replace(/(["'])\.\/(chunk-[\w-]+\.js)\1/g, '$1./widget/$2$1')
            : chunk.code.replace(entryImport, `$1../${entryFileName}$1`);
      }
    },
  };
}

/**
 * Fails the build when a destination imports its peers at run time: analytics-next is the page's
 * own (types only), and Parley is the widget on the page (reached through `window.Parley`).
 */
export function typesOnlyGuard(packages = ['@segment/', 'parley']) {
  return {
    name: 'parley-types-only-guard',
    resolveId(source, importer) {
      if (packages.some((name) => source === name || source.startsWith(name.endsWith('/') ? name : `${name}/`))) {
        this.error(
          `a destination imports "${source}" at run time (from ${importer ?? 'entry'}): import its types only`,
        );
      }
      return null;
    },
  };
}

/**
 * Builds the protocol's schemas with src/protocol/valibot-compact.ts in place of valibot: the same
 * schema trees and verdicts in a fraction of the bytes, for the size-budgeted widget.
 */
export function compactSchemas() {
  return {
    name: 'parley-compact-schemas',
    resolveId: (source) => (source === 'valibot' ? compactValibot : null),
  };
}

const plugins = ({ minify = true, tsconfig = './tsconfig.json' } = {}) => [
  browserGuard(),
  nodeResolve({ browser: true }),
  typescript({
    tsconfig,
    compilerOptions: { noEmit: false, declaration: false },
    outputToFilesystem: false,
  }),
  ...(minify ? [terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } })] : []),
];

export default [
  {
    // The transport client for browsers (`parley/client` under the browser condition).
    input: 'src/transport/index.ts',
    output: { file: 'dist/browser/client.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    // The snippet: a classic script (no imports or exports), served as /snippet.js and pasted inline.
    input: 'src/snippet/index.ts',
    output: { file: 'dist/snippet/snippet.js', format: 'es' },
    plugins: plugins(),
  },
  {
    // The widget bundle the snippet loads: the entry draws the launcher, then loads the SDK's core
    // (which drains the queue); the chat box (Preact) and the connection engine (transport,
    // schemas) are chunks loaded on interest or for a returning visitor. No source maps: the
    // served-layout rewrite would shift them.
    input: { widget: 'src/sdk/entry.ts' },
    output: {
      dir: 'dist/widget',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunk-[hash].js',
    },
    plugins: [compactSchemas(), ...plugins(), servedLayout('widget.js')],
  },
  {
    // The npm package's browser entry (`import { createChat } from 'parley'`); the app's bundler
    // minifies it and shares Preact and valibot with the app. Types come from `tsc` (npm run build).
    input: { index: 'src/sdk/index.ts' },
    output: { dir: 'dist/npm', format: 'es', chunkFileNames: 'chunk-[hash].js', sourcemap: true },
    external: (id) => /^(preact|@preact\/signals|valibot)(\/|$)/.test(id),
    plugins: plugins({ minify: false }),
  },
  {
    // The Segment destination (`parley/segment`), also served at /destinations/segment.js for
    // pages that load analytics.js from Segment's snippet. Types come from `tsc` (npm run build).
    input: 'destinations/segment/index.ts',
    output: { file: 'dist/destinations/segment.js', format: 'es', sourcemap: true },
    plugins: [typesOnlyGuard(), ...plugins({ tsconfig: './tsconfig.destinations.json' })],
  },
  ...hubBuild(plugins()),
];
