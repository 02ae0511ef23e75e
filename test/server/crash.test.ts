/**
 * Server crash: the real `parley serve` process is SIGKILLed part-way through a pipelined
 * two-way exchange and restarted on the same data folder or database, on the same port. The
 * clients reconnect and resume by themselves; every acknowledged message survives exactly once,
 * every send is eventually acknowledged (the outbox resends), and both clients end with exactly
 * the store's log. Run over WebSocket, and over the HTTP fallback (SSE down, POST up), which is
 * where a browser client lands when its WebSocket attempts fail while the server is down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SequencedFrame } from '../../src/protocol/index.js';
import { frameOfRow } from '../../src/server/services/log.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import type { MessageAck, ParleyClient, TransportKind } from '../../src/transport/index.js';
import {
  assertBuilt,
  freePort,
  killChildServers,
  startChildServer,
  type ChildServer,
  type ChildServerOptions,
} from './child-server.js';
import { openWatchedChat, storageFor, storedLogOf, storeKinds, waitFor, type StoreKind } from './harness.js';

type MessageFrame = Extract<SequencedFrame, { type: 'message' }>;
type Side = 'visitor' | 'agent';

/** Messages in the exchange after the visitor's first one, alternating visitor and agent. */
const TOTAL = 1000;
/** The server is killed once this many of them have been acknowledged and a send is in flight... */
const KILL_AFTER_ACKS = 300;
/** ...while the first this-many have been sent; the next 200 go out while it is down, the rest after. */
const BEFORE_KILL = 600;
const WHILE_DOWN = 200;
const BATCH = 10;
const BATCH_EVERY_MS = 4;

const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const transportCases: { name: string; transports: TransportKind[] }[] = [
  { name: 'WebSocket', transports: ['websocket'] },
  { name: 'the HTTP fallback', transports: ['http'] },
];

describe.each(storeKinds)('server crash and restart (%s)', (store: StoreKind) => {
  let child: ChildServer | undefined;
  let storage: Awaited<ReturnType<typeof storageFor>> | undefined;
  let reader: Store | undefined;
  /** A restart under way when a test fails must finish before cleanup, or its server would outlive the test. */
  let restarting: Promise<void> | undefined;
  const clients: ParleyClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await restarting?.catch(() => undefined);
    restarting = undefined;
    await killChildServers();
    child = undefined;
    await reader?.close();
    reader = undefined;
    await storage?.cleanup();
    storage = undefined;
  });

  it.each(transportCases)(
    'loses no acknowledged message and duplicates none across SIGKILL and restart, over $name',
    async ({ transports }) => {
      assertBuilt();
      storage = await storageFor(store);
      const options: ChildServerOptions = {
        port: await freePort(),
        dataDir: storage.dataDir,
        databaseUrl: storage.databaseUrl,
        env: { PARLEY_MESSAGE_RATE: '100000' },
      };
      child = await startChildServer(options);
      const firstPid = child.pid;
      const extras = { transports, backoff: { minMs: 50, maxMs: 500 } };

      const { agent, visitor, agentLog, visitorLog, drops, errors, run, firstId, first, conversationId } =
        await openWatchedChat({
          agentUrl: child.url,
          agent: { id: '', ...child.demo.agent },
          visitorUrl: child.url,
          widgetId: child.demo.widgetId,
          greeting: 'Hello before the crash',
          extras,
          track: (client) => clients.push(client),
        });

      const sent: Record<Side, string[]> = { visitor: [firstId], agent: [] };
      const acks: Record<Side, Promise<MessageAck>[]> = { visitor: [Promise.resolve(first)], agent: [] };
      const acked = new Set<string>([firstId]);
      let ackedBeforeKill: Set<string> | undefined;
      let pendingAtKill = 0;
      let down = false;
      let sentWhileDown = 0;
      let restarted: Promise<void> | undefined;
      const rejections: string[] = [];
      const crashAndRestart = async () => {
        down = true;
        await child!.kill();
        child = await startChildServer(options);
        down = false;
      };
      /** SIGKILLs once enough is acked and something is in flight; what was acked by then must survive. */
      const killIfDue = () => {
        if (acked.size - 1 < KILL_AFTER_ACKS || restarted) return;
        const pending = visitor.client.pending().length + agent.client.pending().length;
        if (pending === 0) return;
        ackedBeforeKill = new Set(acked);
        pendingAtKill = pending;
        restarted = restarting = crashAndRestart();
        // Awaited below; this only keeps a failure after the test gave up from going unhandled.
        restarted.catch(() => undefined);
      };
      const send = (i: number) => {
        const side: Side = i % 2 === 0 ? 'visitor' : 'agent';
        const clientId = `${side[0]}-${run}-${i}`;
        sent[side].push(clientId);
        if (down) sentWhileDown += 1;
        const ack =
          side === 'visitor'
            ? visitor.client.send({ body: `visitor message ${i}`, clientId })
            : agent.client.send({ body: `agent message ${i}`, clientId, conversationId });
        acks[side].push(ack);
        ack.then(
          () => {
            acked.add(clientId);
            killIfDue();
          },
          (error: unknown) => rejections.push(`${clientId}: ${String(error)}`),
        );
        // A fast server may have acked everything sent so far; the send just made is still in flight.
        killIfDue();
      };
      const sendRange = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          send(i);
          if ((i + 1) % BATCH === 0) await pause(BATCH_EVERY_MS);
        }
      };
      const progress = () =>
        `${acked.size} of ${TOTAL + 1} acked; visitor at seq ${visitor.client.resumePoints()[0]?.seq}, ` +
        `agent at seq ${agent.client.resumePoints()[0]?.seq}; states ${visitor.client.state}/${agent.client.state}; ` +
        `errors: ${errors.slice(0, 5).join('; ') || 'none'}; server output: ${child?.output().slice(-500) ?? ''}`;
      const explain = (error: Error): never => {
        throw new Error(`${error.message} (${progress()})`);
      };

      // Pipelined, both directions: before the kill, while the server is down, after the restart.
      await sendRange(0, BEFORE_KILL);
      await waitFor(
        `${KILL_AFTER_ACKS} acks`,
        () => {
          // A rejected send will never be acked: say so now rather than after the timeout.
          if (rejections.length > 0) throw new Error(`a send was rejected before the kill: ${rejections[0]}`);
          return restarted !== undefined;
        },
        20_000,
      ).catch(explain);
      await sendRange(BEFORE_KILL, BEFORE_KILL + WHILE_DOWN);
      await withTimeout(restarted!, 25_000, () => 'the restart');
      await sendRange(BEFORE_KILL + WHILE_DOWN, TOTAL);
      expect(child.pid).not.toBe(firstPid);
      // The kill came mid-exchange: sends were waiting for acks, and more were made while it was down.
      expect(pendingAtKill).toBeGreaterThan(0);
      expect(sentWhileDown).toBeGreaterThan(0);

      const settled = await withTimeout(
        Promise.all([Promise.allSettled(acks.visitor), Promise.allSettled(acks.agent)]),
        30_000,
        () => `every send to be acknowledged (${progress()})`,
      );
      const rejected = settled.flat().filter((result) => result.status === 'rejected');
      const reasons = [...new Set(rejected.map((result) => String(result.reason)))];
      expect(rejected.length, `sends rejected: ${reasons.join('; ')}`).toBe(0);
      const ackOf = (result: PromiseSettledResult<MessageAck>) => (result as PromiseFulfilledResult<MessageAck>).value;
      for (const [index, side] of (['visitor', 'agent'] as const).entries()) {
        const sideAcks = settled[index]!.map(ackOf);
        expect(sideAcks.map((ack) => ack.clientId)).toEqual(sent[side]);
        expect(sideAcks.every((ack) => ack.conversationId === conversationId)).toBe(true);
        // Acks in send order carry strictly increasing seqs: each sender's order survived the crash.
        const seqs = sideAcks.map((ack) => ack.seq);
        expect(seqs.every((seq, k) => k === 0 || seq > seqs[k - 1]!)).toBe(true);
      }
      expect(drops.visitor).toBeGreaterThanOrEqual(1);
      expect(drops.agent).toBeGreaterThanOrEqual(1);

      // The store, read beside the restarted server.
      reader = await openStore({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
      const rows = await storedLogOf(reader.db, conversationId).selectAll().orderBy('seq').execute();
      const { last_seq: lastSeq } = await reader.db
        .selectFrom('conversations')
        .select('last_seq')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(rows.map((row) => row.seq)).toEqual(oneToN(lastSeq));
      const storedIds = rows.filter((row) => row.kind === 'message').map((row) => row.client_id!);
      expect(storedIds).toHaveLength(new Set(storedIds).size);
      expect([...storedIds].sort()).toEqual([...sent.visitor, ...sent.agent].sort());
      // Everything acknowledged before the kill survived it.
      const stored = new Set(storedIds);
      expect([...ackedBeforeKill!].filter((id) => !stored.has(id))).toEqual([]);

      const lastDelivered = (frames: SequencedFrame[]) =>
        frames.filter((frame) => frame.conversationId === conversationId).at(-1)?.seq;
      await waitFor(
        `both clients to reach the store’s last seq, ${lastSeq}`,
        () => lastDelivered(visitorLog.frames) === lastSeq && lastDelivered(agentLog.frames) === lastSeq,
        15_000,
      ).catch(explain);
      const expectedFrames = rows.map((row) => frameOfRow(row, conversationId));
      for (const [name, log] of [
        ['visitor', visitorLog],
        ['agent', agentLog],
      ] as const) {
        const frames = log.frames.filter((frame) => frame.conversationId === conversationId);
        expect(
          frames.map((frame) => frame.seq),
          name,
        ).toEqual(oneToN(lastSeq));
        // The final conversation on each client is exactly the store's log...
        expect(frames, name).toEqual(expectedFrames);
        const ids = frames
          .filter((frame): frame is MessageFrame => frame.type === 'message')
          .map((frame) => frame.clientId ?? '');
        // ...with every message acknowledged before the kill exactly once...
        expect(
          [...ackedBeforeKill!].filter((id) => ids.filter((seen) => seen === id).length !== 1),
          name,
        ).toEqual([]);
        // ...and each sender's messages in the order they were sent.
        expect(
          ids.filter((id) => id.startsWith('v-')),
          name,
        ).toEqual(sent.visitor);
        expect(
          ids.filter((id) => id.startsWith('a-')),
          name,
        ).toEqual(sent.agent);
      }
    },
  );
});
