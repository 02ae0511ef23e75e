// Browser builds. The guard stops any browser bundle from reaching Node built-ins, `ws` or
// src/server: a wrong import fails the build instead of shipping.
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const serverDir = fileURLToPath(new URL('./src/server/', import.meta.url));

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

const plugins = () => [
  browserGuard(),
  nodeResolve({ browser: true }),
  typescript({
    tsconfig: './tsconfig.json',
    compilerOptions: { noEmit: false, declaration: false },
    outputToFilesystem: false,
  }),
  terser({ format: { comments: false } }),
];

export default [
  {
    // The transport client for browsers (`parley/client` under the browser condition).
    input: 'src/transport/index.ts',
    output: { file: 'dist/browser/client.js', format: 'es', sourcemap: true },
    plugins: plugins(),
  },
];
