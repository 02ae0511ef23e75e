/**
 * The built `parley serve` CLI as a child process, for tests that need a real process to kill:
 * a free loopback port chosen beforehand (so a restart reuses it), stdout and stderr kept for
 * failure messages, and SIGKILL on exit so a crashed test never leaves a server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'bin', 'parley.js');
const builtCli = join(root, 'dist', 'node', 'server', 'cli.js');

/** What `--demo` writes to `<data>/demo.json`. */
export interface DemoFile {
  widgetId: string;
  agent: { email: string; password: string };
  urls: Record<string, string>;
}

export interface ChildServerOptions {
  port: number;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Extra environment, e.g. `PARLEY_MESSAGE_RATE`. */
  env?: Record<string, string>;
  /** How long the server may take to say it is ready; default 20 s. */
  readyTimeoutMs?: number;
}

export interface ChildServer {
  url: string;
  port: number;
  pid: number;
  demo: DemoFile;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** SIGKILL: no shutdown hooks, no flush; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** Throws a clear error when the server has not been built (`npm run build`, as `npm test` does). */
export function assertBuilt(): void {
  if (!existsSync(builtCli)) {
    throw new Error(
      `dist/node/server/cli.js is missing: run \`npm run build\` (or \`npx tsc -p tsconfig.server.json\`) before these tests`,
    );
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Every child still running, with a promise of its exit. */
const live = new Map<ChildProcess, Promise<void>>();
process.once('exit', () => {
  for (const child of live.keys()) child.kill('SIGKILL');
});

/** SIGKILLs every server this module started that is still running; for afterEach. */
export async function killChildServers(): Promise<void> {
  const running = [...live];
  for (const [child] of running) child.kill('SIGKILL');
  await Promise.all(running.map(([, gone]) => gone));
}

/** Starts `node bin/parley.js serve --demo` and resolves once it printed "demo ready". */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  assertBuilt();
  const args = [
    cli,
    'serve',
    '--demo',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--data',
    options.dataDir,
  ];
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  // The CLI reads DATABASE_URL too: a SQLite child must not inherit the one CI sets for PostgreSQL.
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.DATABASE_URL;
  delete env.PARLEY_DEMO;
  delete env.PARLEY_PORT;
  delete env.PARLEY_DATA;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    });
  });
  live.set(child, gone);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const kill = async () => {
    if (!exited) child.kill('SIGKILL');
    await gone;
  };

  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('demo ready')) {
    if (exited) throw new Error(`parley exited before it was ready (code ${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`parley was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const demo = JSON.parse(readFileSync(join(options.dataDir, 'demo.json'), 'utf8')) as DemoFile;
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    pid: child.pid!,
    demo,
    output: () => output,
    get exited() {
      return exited;
    },
    kill,
  };
}
