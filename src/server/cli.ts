/** `parley serve`: parses flags, starts the server, prints where it listens, stops on signals. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, resolveConfig, usage } from './config.js';
import { startServer } from './app.js';
import { ensureDemo } from './demo.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'serve') {
    console.error(
      command === undefined || command === 'help' || command === '--help'
        ? usage
        : `unknown command "${command}"\n\n${usage}`,
    );
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = resolveConfig(rest, process.env, { assetsDir: `${root}dist`, examplesDir: `${root}examples` });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`parley: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (config === 'help') {
    console.log(usage);
    return 0;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const server = await startServer(config);
  console.log(`parley listening on ${server.url} (store: ${server.store.kind} at ${server.store.location})`);
  if (config.demo) {
    const demo = await ensureDemo(server.store.db, config.dataDir, server.url, server.port);
    console.log(
      [
        'demo ready:',
        `  widget ID  ${demo.widgetId}`,
        `  agent      ${demo.agent.email} / ${demo.agent.password}`,
        `  demo page  ${demo.urls.demoPage}`,
        `  hub        ${demo.urls.hub}`,
        `  (saved in ${config.dataDir}/demo.json)`,
      ].join('\n'),
    );
  }
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
