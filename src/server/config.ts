/** Server configuration: CLI flags, each with an environment variable, validated at the boundary. */
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { limits } from '../protocol/index.js';
import type { RateLimit } from './rate-limit.js';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL selects PostgreSQL; otherwise SQLite at `<dataDir>/parley.db`. */
  databaseUrl?: string | undefined;
  demo: boolean;
  /** Directory of built assets (widget, snippet, hub) served by the server. */
  assetsDir: string;
  /** Directory of the example pages, served in demo mode. */
  examplesDir: string;
  heartbeatMs: number;
  helloTimeoutMs: number;
  /** How long an agent with no live connection still counts as present. */
  presenceGraceMs: number;
  /**
   * Unsent output one connection may hold before it is closed as a slow consumer (1013). A full
   * resume replay (300 frames of the longest messages) fits within the default.
   */
  outboundBufferBytes: number;
  rates: {
    /** Messages per visitor or agent session. */
    messages: RateLimit;
    /** New visitor sessions per client IP. */
    sessionsPerIp: RateLimit;
    /** Login attempts per IP and per email. */
    logins: RateLimit;
  };
}

export const defaultRates: ServerConfig['rates'] = {
  messages: { perSecond: 5, burst: 30 },
  sessionsPerIp: { perSecond: 20 / 3600, burst: 20 },
  logins: { perSecond: 5 / 300, burst: 5 },
};

const Port = v.pipe(v.string(), v.transform(Number), v.integer('must be an integer'), v.minValue(0), v.maxValue(65535));
const PositiveNumber = v.pipe(v.string(), v.transform(Number), v.number(), v.minValue(0.001));

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'database-url': { type: 'string' },
  demo: { type: 'boolean' },
  'message-rate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type ValueFlag = 'port' | 'host' | 'data' | 'database-url' | 'message-rate';

/** Each flag's env var and default; flags win over env vars, env vars over defaults. */
const sources: Record<ValueFlag, { env: string; fallback?: string }> = {
  port: { env: 'PARLEY_PORT', fallback: '8787' },
  host: { env: 'PARLEY_HOST', fallback: '127.0.0.1' },
  data: { env: 'PARLEY_DATA', fallback: './data' },
  'database-url': { env: 'DATABASE_URL' },
  'message-rate': { env: 'PARLEY_MESSAGE_RATE' },
};

export const usage = `Usage: parley serve [options]

  --port <n>            port to listen on (PARLEY_PORT, default 8787; 0 picks a free one)
  --host <addr>         address to bind (PARLEY_HOST, default 127.0.0.1)
  --data <dir>          data folder for SQLite and demo.json (PARLEY_DATA, default ./data)
  --database-url <url>  postgres:// URL to use PostgreSQL instead of SQLite (DATABASE_URL)
  --demo                create a demo account, widget and agent once; serve the examples and a Segment stub (PARLEY_DEMO=1)
  --message-rate <n>    messages per second per session, burst 6x (PARLEY_MESSAGE_RATE, default 5)
  -h, --help            show this help`;

export class ConfigError extends Error {}

/** Reads flags, then env vars, then defaults. Throws ConfigError with a readable reason. */
export function resolveConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
  paths: { assetsDir: string; examplesDir: string },
): ServerConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const flags = parsed.values;
  if (flags.help) return 'help';
  const pick = (name: ValueFlag): string | undefined =>
    flags[name] ?? (env[sources[name].env] || undefined) ?? sources[name].fallback;
  const port = v.safeParse(Port, pick('port'));
  if (!port.success) throw new ConfigError(`--port ${port.issues[0].message}`);
  const databaseUrl = pick('database-url') || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('--database-url must be a postgres:// URL (SQLite is the default and needs no URL)');
  }
  let messages = defaultRates.messages;
  const rate = pick('message-rate');
  if (rate !== undefined) {
    const parsedRate = v.safeParse(PositiveNumber, rate);
    if (!parsedRate.success) throw new ConfigError('--message-rate must be a positive number');
    messages = { perSecond: parsedRate.output, burst: Math.ceil(parsedRate.output * 6) };
  }
  const envDemo = env.PARLEY_DEMO;
  return {
    port: port.output,
    host: pick('host') ?? '127.0.0.1',
    dataDir: pick('data') ?? './data',
    databaseUrl,
    demo: flags.demo ?? (envDemo === '1' || envDemo === 'true'),
    assetsDir: paths.assetsDir,
    examplesDir: paths.examplesDir,
    heartbeatMs: limits.heartbeatMs,
    helloTimeoutMs: 10_000,
    presenceGraceMs: 10_000,
    outboundBufferBytes: 8 * 1024 * 1024,
    rates: { ...defaultRates, messages },
  };
}
