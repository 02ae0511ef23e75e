// The Hub's browser build: src/hub into dist/hub/hub.js (ESM, minified by the given plugins),
// with its page, stylesheet and icon copied beside it. The server serves /hub and /hub/* from there.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A path join, not `new URL`: tests may import this under happy-dom, whose URL class
// fileURLToPath does not accept.
const hubDir = join(dirname(fileURLToPath(import.meta.url)), '../src/hub/');

/** Copies the Hub's static files (the page, its stylesheet and icon) into the output folder. */
function hubStaticFiles(files = ['index.html', 'hub.css', 'favicon.svg']) {
  return {
    name: 'parley-hub-static-files',
    buildStart() {
      for (const file of files) this.addWatchFile(`${hubDir}${file}`);
    },
    async generateBundle() {
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: file, source: await readFile(`${hubDir}${file}`, 'utf8') });
      }
    },
  };
}

/**
 * The rollup configs of the Hub, built with the browser plugins of rollup.config.mjs (the guard,
 * node-resolve, TypeScript and terser).
 *
 * @example
 * // rollup.config.mjs
 * export default [...otherBuilds, ...hubBuild(plugins())];
 *
 * @param {import('rollup').Plugin[]} plugins
 * @returns {import('rollup').RollupOptions[]}
 */
export function hubBuild(plugins) {
  return [
    {
      // The agent console, served at /hub: one ES module with Preact, signals, the transport and the schemas.
      input: 'src/hub/index.tsx',
      output: { file: 'dist/hub/hub.js', format: 'es', sourcemap: true },
      plugins: [...plugins, hubStaticFiles()],
    },
  ];
}
