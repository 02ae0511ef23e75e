#!/usr/bin/env node
// The `parley` command; the server is built to dist/node by `npm run build`.
import { main } from '../dist/node/server/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error('parley failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
