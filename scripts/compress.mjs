// Writes a brotli (.br) and a gzip (.gz) copy beside every built file the server hands to
// browsers, so it serves them compressed without compressing per request (src/server/http/assets.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const served = ['widget', 'snippet', 'browser', 'destinations', 'hub'];
const compressible = /\.(js|css|html|svg|json)$/;
const dist = new URL('../dist/', import.meta.url).pathname;

let files = 0;
for (const folder of served) {
  for (const entry of readdirSync(join(dist, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !compressible.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    files++;
  }
}
console.log(`compressed ${files} served files (brotli and gzip)`);
