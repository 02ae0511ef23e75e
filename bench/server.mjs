// Server benchmark: idle-connection memory and visitor→agent relay throughput and latency of the
// real Parley server, side by side with a plain `ws` relay (no store, no validation) as the ceiling.
// Prints figures; it is not a timed test. Usage: `npm run bench:server -- [flags]` (see --help).
//
// Both servers run in child processes (so their memory and CPU are theirs alone); the load
// generator and all clients live in this process and speak raw WebSocket frames to both servers
// alike, so the ratio compares server work, not client libraries.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clearInterval, setImmediate, setInterval } from 'node:timers';
import { WebSocket, WebSocketServer } from 'ws';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    visitors: { type: 'string', default: '20' },
    agents: { type: 'string', default: '4' },
    rates: { type: 'string', default: '500,1000,2000' },
    seconds: { type: 'string', default: '5' },
    window: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    'database-url': { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    serve: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const usage = `Usage: node bench/server.mjs [flags]   (npm run bench:server -- [flags] builds first)

  --connections N   idle visitor connections to hold (default 10000; 0 skips the idle phase)
  --visitors N      visitors sending in the relay (default 20)
  --agents N        agents receiving in the relay (default 4)
  --rates a,b,c     fixed relay rates in msg/s (default 500,1000,2000); full speed always runs
  --seconds S       measured seconds per relay step, after a 1 s warm-up (default 5)
  --window N        messages in flight per visitor at full speed (default 16)
  --rounds N        full-speed rounds, Parley and the ceiling taking turns; the target uses the
                    median of the rounds' ratios (the lower middle one for an even count), as one
                    round swings with the machine (default 3)
  --database-url U  run Parley on PostgreSQL instead of SQLite, in a fresh database created
                    next to the one U names and dropped at the end
  --quick           1,000 connections, 2 s steps and one full-speed round: a smoke run in about half a minute
  --profile         CPU-profile the Parley server during the full-speed step; print its hot spots
  --json            also print the figures as one JSON line`;

// ---------------------------------------------------------------------------------------------
// Child processes: the servers under test.

async function serveParley() {
  const { startServer, resolveConfig, createAccount, createWidget, createAgent } =
    await import('../dist/node/server/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const database = process.env.BENCH_DATABASE_URL
    ? await freshPostgresDatabase(process.env.BENCH_DATABASE_URL)
    : undefined;
  const databaseUrl = database?.url;
  const base = resolveConfig(
    ['--port', '0', '--data', dataDir, ...(databaseUrl ? ['--database-url', databaseUrl] : [])],
    {},
    { assetsDir: dataDir, examplesDir: dataDir },
  );
  const unlimited = { perSecond: 1e9, burst: 1e9 };
  const server = await startServer({
    ...base,
    rates: { messages: unlimited, sessionsPerIp: unlimited, logins: unlimited },
  });
  const db = server.store.db;
  const accountId = await createAccount(db, 'Bench');
  const widgetId = await createWidget(db, accountId, { name: 'Bench', allowedOrigins: ['*'] });
  const agents = [];
  for (let i = 0; i < Number(process.env.BENCH_AGENTS ?? 4); i++) {
    const agent = { email: `bench${i}@bench.local`, password: `bench-password-${i}-long-enough` };
    await createAgent(db, accountId, { ...agent, name: `Agent ${i}`, status: 'online', maxChats: 100_000 });
    agents.push(agent);
  }
  serveControl(
    { url: server.url, widgetId, agents, store: `${server.store.kind} at ${server.store.location}` },
    async () => {
      await server.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  );
}

/** A new database next to the one `url` names, so a run never touches existing data; dropped at exit. */
async function freshPostgresDatabase(url) {
  const { default: pg } = await import('pg');
  const name = `parley_bench_${Date.now().toString(36)}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return { url: fresh.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A socket that writes like Parley's gateway: the frames it gets in one turn leave in one write
 * (corked until the turn ends), so the ceiling and Parley differ in server work, not in syscalls.
 */
function corking(ws, socket) {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  const send = ws.send.bind(ws);
  ws.send = (data) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    send(data);
  };
  return ws;
}

/** The ceiling: a relay with no store and no validation, sending the same frames Parley sends. */
function servePlain() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 * 1024, perMessageDeflate: false });
  const agents = new Map();
  let seq = 0;
  wss.on('connection', (plainWs, request) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const role = url.searchParams.get('role');
    const ws = corking(plainWs, request.socket);
    if (role === 'agent') agents.set(url.searchParams.get('id'), ws);
    const agentId = url.searchParams.get('agent');
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'hello') return ws.send(JSON.stringify({ type: 'welcome', v: 1, role, conversations: [] }));
      if (frame.type !== 'message.send') return;
      const at = Date.now();
      const id = `m${++seq}`;
      const message = JSON.stringify({
        type: 'message',
        conversationId: frame.conversationId,
        seq,
        at,
        id,
        clientId: frame.clientId,
        author: { role: 'visitor', id: 'v' },
        body: frame.body,
      });
      // The same fan-out as Parley: the message to the agent and the sender, and an ack.
      agents.get(agentId)?.send(message);
      ws.send(message);
      ws.send(
        JSON.stringify({
          type: 'message.ack',
          clientId: frame.clientId,
          conversationId: frame.conversationId,
          seq,
          id,
          at,
        }),
      );
    });
  });
  wss.on('listening', () => {
    const { port } = wss.address();
    serveControl(
      { url: `http://127.0.0.1:${port}`, store: 'none' },
      () => new Promise((resolve) => wss.close(resolve)),
    );
  });
}

/** IPC with the bench: memory after GC, CPU profiles, and a clean exit. */
function serveControl(ready, close) {
  let session;
  // The bench went away (it crashed or was killed): do not linger.
  process.on('disconnect', () => process.exit(0));
  // How long the event loop stalls: synchronous work (SQLite calls and checkpoints, long runs of
  // microtasks) shows up as a long gap between ticks of a 5 ms timer. Gaps are kept with their
  // wall-clock end, because the bench's questions wait for the loop too.
  let lastTick = Date.now();
  const gaps = [];
  setInterval(() => {
    const now = Date.now();
    if (now - lastTick > 10) gaps.push({ end: now, gap: now - lastTick });
    if (gaps.length > 100_000) gaps.splice(0, 50_000);
    lastTick = now;
  }, 5).unref();
  process.on('message', async (message) => {
    if (message.cmd === 'mem') {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      globalThis.gc?.();
      process.send({ mem: process.memoryUsage() });
    } else if (message.cmd === 'loop') {
      const { from, to } = message;
      const overlapping = gaps.filter(({ end, gap }) => end >= from && end - gap <= to).map(({ gap }) => gap);
      if (lastTick < to) overlapping.push(Date.now() - lastTick);
      process.send({ loop: { max: Math.max(5, ...overlapping) - 5 } });
    } else if (message.cmd === 'profile-start') {
      const { Session } = await import('node:inspector');
      session = new Session();
      session.connect();
      const post = (method, params) =>
        new Promise((resolve, reject) =>
          session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
        );
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      session.postAsync = post;
      process.send({ profiling: true });
    } else if (message.cmd === 'profile-stop') {
      const { profile } = await session.postAsync('Profiler.stop');
      session.disconnect();
      process.send({ profile: summarizeProfile(profile) });
    } else if (message.cmd === 'exit') {
      await close();
      process.exit(0);
    }
  });
  process.send({ ready });
}

/** Where a profiled function lives: an npm package, a Parley file, a Node module, or V8 itself. */
function placeOf(url, functionName) {
  if (!url) return `(${functionName || 'native'})`;
  const packages = url.lastIndexOf('/node_modules/');
  if (packages >= 0) {
    const [scope, name] = url.slice(packages + '/node_modules/'.length).split('/');
    return `npm ${scope.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  const dist = url.indexOf('/dist/node/');
  if (dist >= 0) return `parley ${url.slice(dist + '/dist/node/'.length)}`;
  return url.startsWith('node:') ? url : `node ${url}`;
}

/** Self time per package / source file and per function, from a V8 CPU profile. */
function summarizeProfile(profile) {
  const total = profile.samples.length || 1;
  const selfCount = new Map(profile.nodes.map((node) => [node.id, 0]));
  for (const id of profile.samples) selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
  const byFunction = new Map();
  const byPlace = new Map();
  const add = (map, key, count) => map.set(key, (map.get(key) ?? 0) + count);
  for (const node of profile.nodes) {
    const count = selfCount.get(node.id) ?? 0;
    if (!count) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist)\//, '$1/');
    add(byPlace, placeOf(url, functionName), count);
    add(byFunction, `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`, count);
  }
  const top = (map, n) =>
    [...map]
      .sort(([, a], [, b]) => b - a)
      .slice(0, n)
      .map(([name, count]) => ({ name, percent: Math.round((count / total) * 1000) / 10 }));
  return { samples: total, places: top(byPlace, 15), functions: top(byFunction, 20) };
}

// ---------------------------------------------------------------------------------------------
// The bench process.

function startChild(kind, extraEnv = {}) {
  const child = fork(process.argv[1], ['--serve', kind], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = [];
  child.on('message', (message) => {
    const index = waiters.findIndex((waiter) => waiter.key in message);
    if (index < 0) return;
    const [waiter] = waiters.splice(index, 1);
    waiter.resolve(message[waiter.key]);
  });
  child.on('exit', (code, signal) => {
    if (!child.expectedExit) {
      console.error(`\nthe ${kind} server exited unexpectedly (code ${code}, signal ${signal})`);
      process.exit(1);
    }
  });
  const ask = (key, cmd) =>
    new Promise((resolve) => {
      waiters.push({ key, resolve: (value) => resolve(value) });
      if (cmd) child.send({ cmd });
    });
  return {
    kind,
    pid: child.pid,
    ready: ask('ready'),
    memory: () => ask('mem', 'mem'),
    /** The longest event-loop stall between two Date.now() times. */
    longestStall: (from, to) =>
      new Promise((resolve) => {
        waiters.push({ key: 'loop', resolve });
        child.send({ cmd: 'loop', from, to });
      }),
    startProfile: () => ask('profiling', 'profile-start'),
    stopProfile: () => ask('profile', 'profile-stop'),
    async exit() {
      child.expectedExit = true;
      child.send({ cmd: 'exit' });
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** VmRSS of a process in bytes, from /proc (Linux). */
function rssOf(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** User + system CPU seconds of a process, from /proc (Linux, 100 ticks a second). */
function cpuOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function openFileLimit() {
  const match = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match
    ? { soft: Number(match[1]) || Infinity, hard: Number(match[2]) || Infinity }
    : { soft: Infinity, hard: Infinity };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const wsBase = (url) => url.replace(/^http/, 'ws');

/** Runs `task(i)` for i < n with at most `concurrency` at once; stops at the first failure. */
async function pool(n, concurrency, task) {
  const results = new Array(n);
  let next = 0;
  let failure;
  const worker = async () => {
    while (next < n && !failure) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (error) {
        failure ??= { index: i, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  // Results keep their index; a failed or skipped task leaves a hole.
  return { results, failure };
}

async function postJson(url, body) {
  const response = await globalThis.fetch(url, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Opens a socket, sends `hello` (if any) and resolves once a frame containing `readyMarker`
 * arrives. `onFrame` then receives every frame as a Buffer.
 */
function openSocket(url, hello, readyMarker = '"welcome"', onFrame) {
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new WebSocket(url, { perMessageDeflate: false });
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => fail(new Error('no welcome within 20 s')), 20_000);
    const fail = (error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    ws.on('error', fail);
    ws.on('close', (code) => fail(new Error(`closed with ${code} before the welcome`)));
    ws.on('open', () => hello && ws.send(JSON.stringify(hello)));
    const first = (data) => {
      if (!data.includes(readyMarker)) return;
      clearTimeout(timer);
      ws.off('message', first);
      ws.removeAllListeners('close');
      ws.removeAllListeners('error');
      ws.on('error', () => undefined);
      if (onFrame) ws.on('message', onFrame);
      resolve(ws);
    };
    ws.on('message', first);
  });
}

// ----- (a) idle connections ------------------------------------------------------------------

async function idlePhase(server, info, count) {
  const parley = server.kind === 'parley';
  const url = parley ? `${wsBase(info.url)}/v1/ws?widget=${info.widgetId}` : `${wsBase(info.url)}/?role=idle`;
  let tokens = [];
  if (parley) {
    // Sessions first, so the measured growth is the connections' alone.
    const started = performance.now();
    const sessions = await pool(count + 200, 32, () => postJson(`${info.url}/v1/widgets/${info.widgetId}/sessions`));
    if (sessions.failure) throw sessions.failure.error;
    tokens = sessions.results.map((session) => session.token);
    log(`  ${server.kind}: ${count + 200} visitor sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const hello = (i) => (parley ? { type: 'hello', v: 1, role: 'visitor', token: tokens[i] } : { type: 'hello' });
  // Warm-up: open and close 200, so lazy allocations and JIT are not counted per connection.
  const warm = await pool(200, 100, (i) => openSocket(url, hello(count + i)));
  for (const ws of warm.results) ws?.terminate();
  if (warm.failure) throw warm.failure.error;
  await sleep(500);
  const before = await server.memory();
  const rssBefore = rssOf(server.pid);
  const started = performance.now();
  const batch = 500;
  const sockets = [];
  let failure;
  for (let start = 0; start < count && !failure; start += batch) {
    const opened = await pool(Math.min(batch, count - start), batch, (i) => openSocket(url, hello(start + i)));
    sockets.push(...opened.results.filter(Boolean));
    failure = opened.failure;
  }
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(1000);
  const after = await server.memory();
  const rssAfter = rssOf(server.pid);
  for (const ws of sockets) ws.terminate();
  await sleep(1000);
  const opened = sockets.length;
  return {
    server: server.kind,
    requested: count,
    opened,
    failure: failure ? describeFailure(failure.error, opened) : undefined,
    openSeconds,
    rssBefore,
    rssAfter,
    rssPerConnection: opened ? (rssAfter - rssBefore) / opened : NaN,
    heapPerConnection: opened ? (after.heapUsed + after.external - before.heapUsed - before.external) / opened : NaN,
  };
}

function describeFailure(error, opened) {
  const code = error?.code ?? '';
  const limit = openFileLimit();
  if (code === 'EMFILE' || code === 'ENFILE' || /EMFILE|ENFILE/.test(String(error?.message)))
    return `stopped at ${opened} connections: ${code || error.message} (too many open files; ulimit -n is ${limit.soft}, hard ${limit.hard}: raise it with \`ulimit -n\`)`;
  if (code === 'EADDRNOTAVAIL') return `stopped at ${opened} connections: out of ephemeral ports (EADDRNOTAVAIL)`;
  return `stopped at ${opened} connections: ${error?.message ?? error}`;
}

// ----- (b, c) relay ---------------------------------------------------------------------------

/** Connects the relay's agents and visitors; each visitor's messages reach one agent. */
async function relaySetup(server, info, visitorCount, agentCount, onDelivery, onAck) {
  const parley = server.kind === 'parley';
  const base = wsBase(info.url);
  const agentFrame = (data) => {
    // Only message frames name a bench client id; a regex is far cheaper than JSON.parse here.
    const match = /"clientId":"b(\d+)"/.exec(data.toString('latin1'));
    if (match && data.includes('"type":"message"')) onDelivery(Number(match[1]));
  };
  const agents = [];
  for (let j = 0; j < agentCount; j++) {
    if (parley) {
      const { token } = await postJson(`${info.url}/v1/agent/login`, info.agents[j]);
      agents.push(
        await openSocket(`${base}/v1/ws`, { type: 'hello', v: 1, role: 'agent', token }, '"welcome"', agentFrame),
      );
    } else {
      agents.push(await openSocket(`${base}/?role=agent&id=${j}`, { type: 'hello' }, '"welcome"', agentFrame));
    }
  }
  const visitors = [];
  for (let i = 0; i < visitorCount; i++) {
    const visitor = { index: i, inflight: 0, conversationId: `c${i}`, ws: undefined };
    const onFrame = (data) => {
      if (data.includes('"message.ack"')) onAck(visitor);
    };
    if (parley) {
      const { token } = await postJson(`${info.url}/v1/widgets/${info.widgetId}/sessions`);
      const url = `${base}/v1/ws?widget=${info.widgetId}`;
      const ws = await openSocket(url, { type: 'hello', v: 1, role: 'visitor', token });
      // The first message opens a conversation; routing assigns it to the least loaded agent.
      const assigned = new Promise((resolve) => {
        const watch = (data) => {
          const text = data.toString();
          const ack = /"type":"message.ack".*"conversationId":"([\w-]+)"/.exec(text);
          if (ack) visitor.conversationId = ack[1];
          if (text.includes('"conversation.assigned"')) {
            ws.off('message', watch);
            resolve();
          }
        };
        ws.on('message', watch);
      });
      ws.send(JSON.stringify({ type: 'message.send', clientId: `open-${i}`, body: 'hello' }));
      await assigned;
      ws.on('message', onFrame);
      visitor.ws = ws;
    } else {
      visitor.ws = await openSocket(
        `${base}/?role=visitor&agent=${i % agentCount}`,
        { type: 'hello' },
        '"welcome"',
        onFrame,
      );
    }
    visitors.push(visitor);
  }
  await sleep(300);
  return {
    visitors,
    close() {
      for (const ws of [...agents, ...visitors.map((visitor) => visitor.ws)]) ws.terminate();
    },
  };
}

/** Message numbers are global across steps, so a late delivery never counts in the wrong step. */
let nextMessage = 0;

/**
 * Connects a server's relay once; steps then swap in their own counters. Each message body and
 * client id is built here, identical for both servers.
 */
async function relayFor(server, info, visitorCount, agentCount) {
  const hooks = { step: undefined };
  const relay = await relaySetup(
    server,
    info,
    visitorCount,
    agentCount,
    (n) => hooks.step?.onDelivery(n),
    (visitor) => {
      visitor.inflight = Math.max(0, visitor.inflight - 1);
      hooks.step?.onAck(visitor);
    },
  );
  return { ...relay, hooks };
}

/**
 * One relay step: a 1 s warm-up, then `seconds` measured. `rate` 0 means full speed (each
 * visitor keeps `window` messages in flight); otherwise messages go out at `rate` per second,
 * round-robin over the visitors. Latency is send → the agent's socket receives the message.
 */
async function relayStep(server, relay, options) {
  const { rate, seconds, window } = options;
  const warmupMs = 1000;
  const capacity = Math.ceil((rate || 150_000) * (seconds + 1) * 1.5);
  const base = nextMessage;
  nextMessage += capacity;
  const sentAt = new Float64Array(capacity);
  const delivered = new Uint8Array(capacity);
  let sent = 0;
  let duplicates = 0;
  let deliveredCount = 0;
  let inWindow = 0;
  let behind = 0;
  const latencies = [];
  let sending = true;
  const started = performance.now();
  const windowStart = started + warmupMs;
  const windowEnd = windowStart + seconds * 1000;
  for (const visitor of relay.visitors) visitor.inflight = 0;

  const send = (visitor) => {
    if (sent >= capacity) return false;
    const n = sent++;
    sentAt[n] = performance.now();
    visitor.inflight++;
    visitor.ws.send(
      `{"type":"message.send","clientId":"b${base + n}","conversationId":"${visitor.conversationId}","body":"bench message ${n} from visitor ${visitor.index}"}`,
    );
    return true;
  };
  const fill = (visitor) => {
    while (sending && visitor.inflight < window && send(visitor));
  };
  relay.hooks.step = {
    onDelivery(id) {
      const n = id - base;
      if (n < 0 || n >= sent) return;
      if (delivered[n]) return void duplicates++;
      delivered[n] = 1;
      deliveredCount++;
      const now = performance.now();
      if (now >= windowStart && now < windowEnd) inWindow++;
      if (sentAt[n] >= windowStart && sentAt[n] < windowEnd) latencies.push(now - sentAt[n]);
    },
    onAck(visitor) {
      if (rate === 0) fill(visitor);
    },
  };

  let cpuStart;
  let cpuPercent = NaN;
  let generatorCpuPercent = NaN;
  let loop;
  const cpuTimers = [
    setTimeout(
      () =>
        (cpuStart = {
          at: performance.now(),
          cpu: cpuOf(server.pid),
          generator: cpuOf(process.pid),
          wall: Date.now(),
        }),
      warmupMs,
    ),
    setTimeout(
      () => {
        const elapsed = (performance.now() - cpuStart.at) / 1000;
        cpuPercent = ((cpuOf(server.pid) - cpuStart.cpu) / elapsed) * 100;
        generatorCpuPercent = ((cpuOf(process.pid) - cpuStart.generator) / elapsed) * 100;
        void server.longestStall(cpuStart.wall, Date.now()).then((stall) => (loop = stall));
      },
      warmupMs + seconds * 1000,
    ),
  ];
  let profile;
  const profiling = options.profile && rate === 0;
  if (profiling) {
    setTimeout(() => void server.startProfile(), warmupMs);
    setTimeout(() => void server.stopProfile().then((summary) => (profile = summary)), warmupMs + seconds * 1000);
  }

  let timer;
  if (rate === 0) {
    for (const visitor of relay.visitors) fill(visitor);
  } else {
    let next = 0;
    timer = setInterval(() => {
      const due = Math.floor((rate * (performance.now() - started)) / 1000) - sent - behind;
      for (let k = 0; k < due; k++) {
        const visitor = relay.visitors[next++ % relay.visitors.length];
        // An open loop, but bounded: a server that falls far behind is reported, not buried.
        if (visitor.inflight > 2000 || !send(visitor)) behind++;
      }
    }, 2);
  }
  await sleep(warmupMs + seconds * 1000);
  sending = false;
  clearInterval(timer);
  // Drain what is in flight, up to 10 s, so losses are told apart from slowness.
  const drainUntil = performance.now() + 10_000;
  while (deliveredCount < sent && performance.now() < drainUntil) await sleep(20);
  await sleep(200);
  while ((profiling && !profile) || !loop) await sleep(20);
  for (const cpuTimer of cpuTimers) clearTimeout(cpuTimer);
  relay.hooks.step = undefined;
  await new Promise((resolve) => setImmediate(resolve));
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  return {
    server: server.kind,
    rate,
    throughput: inWindow / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    max: latencies.at(-1) ?? NaN,
    sent,
    lost: sent - deliveredCount,
    duplicates,
    behind,
    cpuPercent,
    // Server CPU time per relayed message: steadier than throughput on a machine shared with
    // other work, as it does not count the time the server waited for a CPU.
    cpuMicrosPerMessage: (cpuPercent * 1e4) / (inWindow / seconds),
    generatorCpuPercent,
    loop,
    profile,
  };
}

// ----- output ------------------------------------------------------------------------------

function log(...args) {
  console.log(...args);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '-');
/** Stalls under 10 ms are not recorded (the probe ticks every 5 ms). */
const stall = (loop) => (loop.max > 0 ? ms(loop.max) : '< 10 ms');
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const num = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  return rows
    .map(
      (row, r) =>
        row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ') +
        (r === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
}

async function main() {
  const quick = flags.quick;
  let connections = Number(quick && flags.connections === '10000' ? 1000 : flags.connections);
  const seconds = Number(quick && flags.seconds === '5' ? 2 : flags.seconds);
  const visitorCount = Number(flags.visitors);
  const agentCount = Number(flags.agents);
  const window = Number(flags.window);
  const rounds = Math.max(1, Number(quick && flags.rounds === '3' ? 1 : flags.rounds) || 1);
  const rates = flags.rates
    .split(',')
    .map(Number)
    .filter((rate) => rate > 0);
  const limit = openFileLimit();
  // Each idle connection costs one descriptor here and one in the server; keep some spare.
  if (connections + 500 > limit.soft) {
    const capped = Math.max(0, limit.soft - 500);
    log(
      `ulimit -n is ${limit.soft} (hard ${limit.hard}): capping --connections ${connections} to ${capped}. Raise it with \`ulimit -n ${connections + 1000}\`.`,
    );
    connections = capped;
  }

  const parley = startChild('parley', {
    BENCH_AGENTS: String(agentCount),
    ...(flags['database-url'] ? { BENCH_DATABASE_URL: flags['database-url'] } : {}),
  });
  const plain = startChild('plain');
  const [parleyInfo, plainInfo] = await Promise.all([parley.ready, plain.ready]);
  log(
    `Parley server benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ` +
      `store ${parleyInfo.store}${parleyInfo.store.startsWith('sqlite') ? ' (WAL, synchronous=NORMAL)' : ''}`,
  );
  log(
    `open files: ulimit -n ${limit.soft}; servers in child processes (pids ${parley.pid}, ${plain.pid}); load average ${load()}` +
      (loadavg()[0] > cpus().length * 0.5 ? ' (the machine is busy: figures will be noisy)' : '') +
      '\n',
  );

  const idle = [];
  if (connections > 0) {
    log(`(a) holding ${num(connections)} idle connections each...`);
    for (const server of [parley, plain]) {
      const result = await idlePhase(server, server === parley ? parleyInfo : plainInfo, connections);
      idle.push(result);
      log(
        `  ${server.kind}: ${num(result.opened)} open in ${result.openSeconds.toFixed(1)} s, RSS ${mb(result.rssBefore)} → ${mb(result.rssAfter)}` +
          (result.failure ? `\n  ${result.failure}` : ''),
      );
    }
  }

  log(
    `\n(b, c) relaying visitor → agent: ${visitorCount} visitors, ${agentCount} agents, ${seconds} s per step after 1 s warm-up`,
  );
  // Each fixed rate once, then the full-speed rounds: { rate: 0, round }.
  const steps = [
    ...rates.map((rate) => ({ rate })),
    ...Array.from({ length: rounds }, (_, k) => ({ rate: 0, round: k + 1 })),
  ];
  const relays = new Map();
  for (const server of [parley, plain]) {
    relays.set(server, await relayFor(server, server === parley ? parleyInfo : plainInfo, visitorCount, agentCount));
  }
  const relay = [];
  const stepName = ({ rate, round }) => (rate ? `${num(rate)} msg/s` : `full speed #${round}`);
  for (const step of steps) {
    for (const server of [parley, plain]) {
      const result = await relayStep(server, relays.get(server), {
        rate: step.rate,
        seconds,
        window,
        profile: flags.profile && server === parley && step.round === 1,
      });
      result.round = step.round;
      relay.push(result);
      log(
        `  ${server.kind.padEnd(6)} ${stepName(step)}: ${num(result.throughput)} msg/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}` +
          `, CPU ${num(result.cpuPercent)}% (load generator ${num(result.generatorCpuPercent)}%), longest event-loop stall ${stall(result.loop)}${result.lost ? `, ${result.lost} not delivered` : ''}${result.duplicates ? `, ${result.duplicates} duplicates` : ''}${result.behind ? `, ${result.behind} sends skipped (server behind)` : ''}`,
      );
    }
  }
  for (const relayOf of relays.values()) relayOf.close();
  await Promise.all([parley.exit(), plain.exit()]);
  log(`\nload average at the end: ${load()}`);

  // ----- the side-by-side report
  log('\n=== Idle connections (server RSS growth per connection, after GC) ===');
  if (idle.length) {
    const rows = [['server', 'opened', 'RSS before', 'RSS after', 'RSS/conn', 'heap+ext/conn', 'target', '']];
    for (const result of idle) {
      const target = result.server === 'parley';
      rows.push([
        result.server === 'parley' ? 'parley' : 'plain ws',
        num(result.opened),
        mb(result.rssBefore),
        mb(result.rssAfter),
        kb(result.rssPerConnection),
        kb(result.heapPerConnection),
        target ? '≤ 20 KB' : '',
        target ? verdict(result.rssPerConnection <= 20 * 1024 && result.opened === result.requested) : '',
      ]);
    }
    log(table(rows));
  } else log('(skipped: --connections 0)');

  log('\n=== Relay visitor → agent (latency: send → agent socket receives) ===');
  const rows = [
    [
      'step',
      'parley msg/s',
      'p50',
      'p99',
      'CPU',
      'µs/msg',
      'stall',
      'ceiling msg/s',
      'p50',
      'p99',
      'CPU',
      'µs/msg',
      'stall',
      'generator',
      'parley/ceiling',
    ],
  ];
  const resultOf = (kind, step) =>
    relay.find((r) => r.server === kind && r.rate === step.rate && r.round === step.round);
  for (const step of steps) {
    const p = resultOf('parley', step);
    const c = resultOf('plain', step);
    rows.push([
      stepName(step),
      num(p.throughput),
      ms(p.p50),
      ms(p.p99),
      `${num(p.cpuPercent)}%`,
      num(p.cpuMicrosPerMessage),
      stall(p.loop),
      num(c.throughput),
      ms(c.p50),
      ms(c.p99),
      `${num(c.cpuPercent)}%`,
      num(c.cpuMicrosPerMessage),
      stall(c.loop),
      `${num(p.generatorCpuPercent)}% / ${num(c.generatorCpuPercent)}%`,
      `${(p.throughput / c.throughput).toFixed(2)}×`,
    ]);
  }
  log(table(rows));
  const problems = relay.filter((r) => r.lost || r.duplicates);
  if (problems.length)
    log(
      `\nDelivery problems: ${problems.map((r) => `${r.server} @ ${r.rate || 'full'}: ${r.lost} lost, ${r.duplicates} duplicated`).join('; ')}`,
    );
  else log('\nEvery message sent was delivered to its agent exactly once, in every step.');

  const ratios = steps
    .filter((step) => step.rate === 0)
    .map((step) => resultOf('parley', step).throughput / resultOf('plain', step).throughput)
    .sort((a, b) => a - b);
  const ratio = ratios[Math.floor((ratios.length - 1) / 2)];
  const ratioSpread =
    ratios.length > 1 ? ` (median of ${ratios.length} rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})` : '';
  const at2000 = relay.find((r) => r.server === 'parley' && r.rate === 2000);
  const parleyIdle = idle.find((r) => r.server === 'parley');
  log('\n=== Targets ===');
  const targets = [
    ['target', 'measured', ''],
    [
      '≤ 20 KB RSS per idle connection',
      parleyIdle ? kb(parleyIdle.rssPerConnection) : 'not run',
      parleyIdle ? verdict(parleyIdle.rssPerConnection <= 20 * 1024) : '',
    ],
    ['≥ 0.6× the ceiling at full speed, durable writes', `${ratio.toFixed(2)}×${ratioSpread}`, verdict(ratio >= 0.6)],
    [
      'p99 ≤ 25 ms at 2,000 msg/s',
      at2000 ? ms(at2000.p99) : 'not run',
      at2000 ? verdict(at2000.p99 <= 25 && at2000.throughput >= 1900) : '',
    ],
  ];
  log(table(targets));
  const storeNote = parleyInfo.store.startsWith('sqlite')
    ? 'SQLite runs in WAL mode with synchronous=NORMAL: each message is committed before its ack\n(durable across a process crash; the last commits may be lost on power loss).'
    : 'PostgreSQL runs with its own settings (synchronous_commit as configured) on this machine, sharing its CPUs.';
  log(
    '\nNotes: the ceiling is a bare `ws` relay in its own process that sends the same three frames per message as Parley' +
      '\n(the message to the agent and to the sender, and the ack) but stores and validates nothing. Both coalesce the' +
      '\nframes a socket gets in one turn into one write.\n' +
      storeNote +
      '\nCPU is the server process, 100% = one core, and µs/msg its CPU time per relayed message; "generator" is the load generator\'s CPU (this process, for Parley /' +
      '\nfor the ceiling): near 100% it, not the server, sets the pace. "stall" is the longest time the server\'s event loop did not turn' +
      '\nduring the step. Latency and stalls include time the server waits for CPUs other processes hold.',
  );

  const profile = resultOf('parley', { rate: 0, round: 1 }).profile;
  if (profile) {
    log(`\n=== Parley server CPU profile, full-speed step (${num(profile.samples)} samples, self time) ===`);
    log(table([['where', 'self'], ...profile.places.map((p) => [p.name, `${p.percent}%`])]));
    log('');
    log(table([['function', 'self'], ...profile.functions.map((p) => [p.name, `${p.percent}%`])]));
  }
  if (flags.json) {
    const strip = ({ profile: _profile, ...rest }) => rest;
    log(JSON.stringify({ idle, relay: relay.map(strip), ratio, ratios }));
  }
}

// Last, so every declaration above is initialized before it runs.
if (flags.serve === 'parley') await serveParley();
else if (flags.serve === 'plain') servePlain();
else if (flags.help) console.log(usage);
else await main();
