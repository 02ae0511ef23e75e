/**
 * Integration harness: a real server on loopback with a real store (SQLite in a temp folder,
 * or a fresh PostgreSQL database when DATABASE_URL is set), provisioned accounts, and real
 * transport clients driven from Node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { WebSocket } from 'ws';
import { createClient, type ClientOptions, type ParleyClient } from '../../src/transport/index.js';
import {
  isSequenced,
  PROTOCOL_VERSION,
  type ClientFrame,
  type SequencedFrame,
  type ServerFrame,
} from '../../src/protocol/index.js';
import {
  createAccount,
  createAgent,
  createWidget,
  resolveConfig,
  startServer,
  type RunningServer,
  type ServerConfig,
  type WidgetSettings,
} from '../../src/server/index.js';
import type { StoreKind } from '../../src/server/store/migrations.js';
import type { Database } from '../../src/server/store/schema.js';

export type { StoreKind };

/**
 * One conversation's stored log, to finish with Kysely's select methods: its rows carry the
 * conversation's log key, looked up here from its id.
 */
export function storedLogOf(db: Kysely<Database>, conversationId: string) {
  return db
    .selectFrom('messages')
    .where('conversation_key', '=', (eb) =>
      eb.selectFrom('conversations').select('log_key').where('id', '=', conversationId),
    );
}

/** SQLite always; PostgreSQL too when DATABASE_URL names one (CI sets it). */
export const storeKinds: StoreKind[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh PostgreSQL database per server, dropped afterwards, so tests never share state. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL!;
  const name = `parley_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A data folder, and a database URL when the store is PostgreSQL. */
export async function storageFor(
  kind: StoreKind,
): Promise<{ dataDir: string; databaseUrl?: string; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') return { dataDir, cleanup: () => Promise.resolve(removeDir()) };
  const database = await freshPostgresDatabase();
  return {
    dataDir,
    databaseUrl: database.url,
    async cleanup() {
      await database.drop();
      removeDir();
    },
  };
}

export interface TestAgent {
  id: string;
  email: string;
  password: string;
}

export interface TestServer {
  server: RunningServer;
  url: string;
  widgetId: string;
  accountId: string;
  /** Agents created for the test; all start online. */
  agents: TestAgent[];
  /** Adds an agent to the account. */
  addAgent(options?: { maxChats?: number; name?: string }): Promise<TestAgent>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  store?: StoreKind;
  agents?: number;
  maxChats?: number;
  config?: Partial<ServerConfig>;
  /** The test widget's page origins (default `http://allowed.test`) and settings. */
  widget?: { allowedOrigins?: string[]; settings?: WidgetSettings };
}

let agentCounter = 0;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const storage = await storageFor(options.store ?? 'sqlite');
  const base = resolveConfig(
    ['--port', '0', '--data', storage.dataDir],
    {},
    { assetsDir: storage.dataDir, examplesDir: storage.dataDir },
  );
  if (base === 'help') throw new Error('unexpected help');
  const config: ServerConfig = {
    ...base,
    databaseUrl: storage.databaseUrl,
    presenceGraceMs: 200,
    rates: { ...base.rates, messages: { perSecond: 10_000, burst: 10_000 } },
    ...options.config,
  };
  const server = await startServer(config);
  const db = server.store.db;
  const accountId = await createAccount(db, 'Test account');
  const widgetId = await createWidget(db, accountId, {
    name: 'Test widget',
    allowedOrigins: options.widget?.allowedOrigins ?? ['http://allowed.test'],
    ...(options.widget?.settings ? { settings: options.widget.settings } : {}),
  });
  const agents: TestAgent[] = [];
  const addAgent = async (agentOptions: { maxChats?: number; name?: string } = {}) => {
    const index = ++agentCounter;
    const agent = { email: `agent${index}@test.local`, password: `password-${index}-long-enough`, id: '' };
    agent.id = await createAgent(db, accountId, {
      email: agent.email,
      name: agentOptions.name ?? `Agent ${index}`,
      username: `agent${index}`,
      password: agent.password,
      status: 'online',
      maxChats: agentOptions.maxChats ?? options.maxChats ?? 4,
    });
    agents.push(agent);
    return agent;
  };
  for (let i = 0; i < (options.agents ?? 1); i++) await addAgent();
  return {
    server,
    url: server.url,
    widgetId,
    accountId,
    agents,
    addAgent,
    async close() {
      await server.close();
      await storage.cleanup();
    },
  };
}

type ClientExtras = Partial<Omit<ClientOptions, 'role' | 'token' | 'url'>>;

/** Creates a visitor session over HTTP, as the widget does after consent. */
export async function createVisitorSession(
  url: string,
  widgetId: string,
): Promise<{ token: string; visitorId: string }> {
  const response = await fetch(`${url}/v1/widgets/${widgetId}/sessions`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`session: ${response.status} ${await response.text()}`);
  return (await response.json()) as { token: string; visitorId: string };
}

/** Creates a visitor session and its client. */
export async function visitorClient(
  url: string,
  widgetId: string,
  extras: ClientExtras = {},
): Promise<{ client: ParleyClient; token: string; visitorId: string }> {
  const { token, visitorId } = await createVisitorSession(url, widgetId);
  const client = createClient({
    url,
    role: 'visitor',
    token,
    widgetId,
    WebSocket,
    backoff: { minMs: 50, maxMs: 500 },
    ...extras,
  });
  return { client, token, visitorId };
}

export async function loginAgent(url: string, agent: TestAgent): Promise<string> {
  const response = await fetch(`${url}/v1/agent/login`, {
    method: 'POST',
    body: JSON.stringify({ email: agent.email, password: agent.password }),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function agentClient(
  url: string,
  agent: TestAgent,
  extras: ClientExtras = {},
): Promise<{ client: ParleyClient; token: string }> {
  const token = await loginAgent(url, agent);
  const client = createClient({ url, role: 'agent', token, WebSocket, backoff: { minMs: 50, maxMs: 500 }, ...extras });
  return { client, token };
}

/** Records every sequenced frame a client emits, per conversation, in emission order. */
export function recordSequenced(client: ParleyClient): {
  frames: SequencedFrame[];
  messages: (conversationId?: string) => string[];
} {
  const frames: SequencedFrame[] = [];
  client.on('sequenced', (frame) => frames.push(frame));
  return {
    frames,
    messages: (conversationId) =>
      frames
        .filter((frame) => frame.type === 'message' && (!conversationId || frame.conversationId === conversationId))
        .map((frame) => (frame as Extract<SequencedFrame, { type: 'message' }>).body),
  };
}

/** Polls until `predicate` holds, or fails with `what` after the timeout. */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The next event of a type from a client, optionally matching a predicate. */
export function nextEvent<T>(
  client: ParleyClient,
  type: Parameters<ParleyClient['on']>[0],
  match: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${type}`));
    }, timeoutMs);
    const off = client.on(type, (payload) => {
      if (!match(payload as T)) return;
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}

/**
 * A TCP proxy in front of the server: `cut()` destroys every connection through it (a network
 * drop both ways), `block()` refuses new ones until `unblock()`.
 */
export async function startProxy(
  targetPort: number,
): Promise<{ url: string; port: number; cut(): void; block(): void; unblock(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let blocked = false;
  const proxy = createTcpServer((client) => {
    if (blocked) return void client.destroy();
    const upstream = new Socket();
    upstream.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const port = (proxy.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    block() {
      blocked = true;
    },
    unblock() {
      blocked = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => proxy.close(() => resolve()));
    },
  };
}

/**
 * An agent and a visitor in one conversation, watched for drops and errors: the set-up of the
 * delivery tests. The visitor's first message (client id `v-<run>-first`) opens the chat.
 */
export async function openWatchedChat(options: {
  agentUrl: string;
  agent: TestAgent;
  visitorUrl: string;
  widgetId: string;
  greeting: string;
  extras?: ClientExtras;
  /** Receives both clients so the caller's cleanup closes them. */
  track: (client: ParleyClient) => void;
}) {
  const extras = { backoff: { minMs: 50, maxMs: 500 }, ...options.extras };
  const agent = await agentClient(options.agentUrl, options.agent, extras);
  const visitor = await visitorClient(options.visitorUrl, options.widgetId, extras);
  options.track(agent.client);
  options.track(visitor.client);
  const agentLog = recordSequenced(agent.client);
  const visitorLog = recordSequenced(visitor.client);
  const drops = { visitor: 0, agent: 0 };
  const errors: string[] = [];
  for (const [name, client] of [
    ['visitor', visitor.client],
    ['agent', agent.client],
  ] as const) {
    client.on('closed', (info) => {
      if (!info.final) drops[name] += 1;
    });
    client.on('error', (frame) => errors.push(`${name}: ${frame.code} ${frame.message}`));
  }
  await agent.client.connect();
  await visitor.client.connect();
  const run = Math.random().toString(36).slice(2, 10);
  const firstId = `v-${run}-first`;
  const first = await visitor.client.send({ body: options.greeting, clientId: firstId });
  const conversationId = first.conversationId;
  await waitFor('the agent to be assigned', () =>
    agentLog.frames.some((frame) => frame.type === 'conversation.assigned' && frame.conversationId === conversationId),
  );
  return { agent, visitor, agentLog, visitorLog, drops, errors, run, firstId, first, conversationId };
}

/**
 * A bare WebSocket speaking the protocol by hand, so a test can send frames exactly as a buggy,
 * reloaded or hurried client would, and see what the server itself sends (no client sequencer).
 */
export async function rawConnection(url: string, hello: { role: 'visitor' | 'agent'; token: string }) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`, { perMessageDeflate: false });
  const received: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString('utf8')) as ServerFrame);
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code: number, reason: Buffer) => {
      resolve({ code, reason: reason.toString() });
      wake();
    }),
  );
  socket.on('error', () => undefined);
  /** Resolves with what `find` finds, once it finds something; rejects after the timeout. */
  const until = <T>(what: string, find: () => T | undefined, timeoutMs = 10_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`raw connection: timed out waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, ...hello }));
  await until('welcome', () => received.find((frame) => frame.type === 'welcome'));
  return {
    socket,
    received,
    closed,
    until,
    send(frame: ClientFrame) {
      socket.send(JSON.stringify(frame));
    },
    /** Waits until `count` acks (or errors) for `clientId` came back. */
    answers(clientId: string, count: number): Promise<ServerFrame[]> {
      const matching = () =>
        received.filter(
          (frame) => (frame.type === 'message.ack' || frame.type === 'error') && frame.clientId === clientId,
        );
      return until(`${count} answers for ${clientId}`, () => {
        const found = matching();
        return found.length >= count ? found : undefined;
      });
    },
    sequenced: (conversationId: string) =>
      received.filter(
        (frame): frame is SequencedFrame => isSequenced(frame) && frame.conversationId === conversationId,
      ),
    close: () => socket.terminate(),
  };
}

export type RawConnection = Awaited<ReturnType<typeof rawConnection>>;
