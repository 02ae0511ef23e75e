/**
 * The no-loss promise of the protocol (DESIGN.md, "Protocol principles"): a visitor and an agent
 * exchange pipelined messages while their networks drop, one side at a time and both at once;
 * every send is acknowledged, both sides see every message exactly once in order with gap-free
 * sequence numbers, and the store holds each client id once. Resends of one client id, from the
 * client and raw on the wire, are stored once and acknowledged alike.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { limits, type SequencedFrame, type ServerFrame } from '../../src/protocol/index.js';
import { frameOfRow } from '../../src/server/services/log.js';
import { createClient, type MessageAck, type ParleyClient } from '../../src/transport/index.js';
import {
  agentClient,
  openWatchedChat,
  rawConnection,
  recordSequenced,
  startProxy,
  startTestServer,
  storeKinds,
  visitorClient,
  storedLogOf,
  waitFor,
  type StoreKind,
  type TestServer,
} from './harness.js';

type MessageFrame = Extract<SequencedFrame, { type: 'message' }>;
type Proxy = Awaited<ReturnType<typeof startProxy>>;
type Side = 'visitor' | 'agent';

const TOTAL = 200;
const BATCH = 10;

/** The stored log of a conversation, oldest first. */
async function storedLog(server: TestServer, conversationId: string) {
  const db = server.server.store.db;
  const rows = await storedLogOf(db, conversationId).selectAll().orderBy('seq').execute();
  const conversation = await db
    .selectFrom('conversations')
    .select('last_seq')
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return { rows, lastSeq: conversation.last_seq };
}

/** The frames a client delivered for one conversation. */
const framesOf = (frames: SequencedFrame[], conversationId: string) =>
  frames.filter((frame) => frame.conversationId === conversationId);

const clientIdsOf = (frames: SequencedFrame[]) =>
  frames.filter((frame): frame is MessageFrame => frame.type === 'message').map((frame) => frame.clientId);

const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe.each(storeKinds)('no message lost or duplicated (%s)', (store: StoreKind) => {
  let server: TestServer | undefined;
  const proxies: Proxy[] = [];
  const clients: ParleyClient[] = [];
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const client of clients.splice(0)) client.close();
    for (const proxy of proxies.splice(0)) await proxy.close();
    await server?.close();
    server = undefined;
  });

  it('keeps a pipelined two-way exchange whole while each side’s network drops', async () => {
    server = await startTestServer({ store });
    const visitorProxy = await startProxy(server.server.port);
    const agentProxy = await startProxy(server.server.port);
    proxies.push(visitorProxy, agentProxy);

    const { agent, visitor, agentLog, visitorLog, drops, errors, run, firstId, first, conversationId } =
      await openWatchedChat({
        agentUrl: agentProxy.url,
        agent: server.agents[0]!,
        visitorUrl: visitorProxy.url,
        widgetId: server.widgetId,
        greeting: 'Hello, I need help',
        track: (client) => clients.push(client),
      });

    // Pipelined: batches go out without waiting for acks, and the network drops mid-stream.
    const sent = { visitor: [firstId], agent: [] as string[] };
    const acks: { visitor: Promise<MessageAck>[]; agent: Promise<MessageAck>[] } = {
      visitor: [Promise.resolve(first)],
      agent: [],
    };
    const pendingAtCut: number[] = [];
    // After which message each cut comes: the visitor's link, then the agent's, then both.
    const cuts = new Map<number, Side[]>([
      [60, ['visitor']],
      [120, ['agent']],
      [170, ['visitor', 'agent']],
    ]);
    const clientOf = { visitor: visitor.client, agent: agent.client };
    const proxyOf = { visitor: visitorProxy, agent: agentProxy };
    for (let i = 0; i < TOTAL; i++) {
      const cutAfterBatch = cuts.get(i + BATCH);
      if (i % BATCH === 0 && cutAfterBatch) {
        // Each cut must drop a live link (not one still reconnecting from the last cut).
        await waitFor('the link to be up before the cut', () =>
          cutAfterBatch.every((side) => clientOf[side].state === 'open'),
        );
      }
      const side: Side = i % 2 === 0 ? 'visitor' : 'agent';
      const clientId = `${side[0]}-${run}-${i}`;
      sent[side].push(clientId);
      acks[side].push(
        side === 'visitor'
          ? visitor.client.send({ body: `visitor message ${i}`, clientId })
          : agent.client.send({ body: `agent message ${i}`, clientId, conversationId }),
      );
      if ((i + 1) % BATCH !== 0) continue;
      const cut = cuts.get(i + 1);
      if (cut) {
        // The batch just written is in flight: the drop takes frames and acks with it.
        pendingAtCut.push(cut.reduce((sum, cutSide) => sum + clientOf[cutSide].pending().length, 0));
        for (const cutSide of cut) proxyOf[cutSide].cut();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    // Each cut happened with sends still waiting for their acks.
    expect(pendingAtCut).toHaveLength(cuts.size);
    expect(pendingAtCut.every((pending) => pending > 0)).toBe(true);

    const [visitorSettled, agentSettled] = await withTimeout(
      Promise.all([Promise.allSettled(acks.visitor), Promise.allSettled(acks.agent)]),
      20_000,
      () => `every send to settle (pending: ${visitor.client.pending().length} + ${agent.client.pending().length})`,
    );
    const settled = { visitor: visitorSettled, agent: agentSettled };
    const rejected = [...settled.visitor, ...settled.agent].filter((result) => result.status === 'rejected');
    expect(
      rejected.map((result) => String(result.reason)),
      errors.join('\n'),
    ).toEqual([]);
    const ackOf = (result: PromiseSettledResult<MessageAck>) => (result as PromiseFulfilledResult<MessageAck>).value;
    const ackSeqs = {
      visitor: settled.visitor.map(ackOf).map((ack) => ack.seq),
      agent: settled.agent.map(ackOf).map((ack) => ack.seq),
    };
    for (const side of ['visitor', 'agent'] as const) {
      const sideAcks = settled[side].map(ackOf);
      expect(sideAcks.map((ack) => ack.clientId)).toEqual(sent[side]);
      expect(sideAcks.every((ack) => ack.conversationId === conversationId)).toBe(true);
      // Acks in send order carry strictly increasing seqs: each sender's order was kept.
      expect(ackSeqs[side].every((seq, index) => index === 0 || seq > ackSeqs[side][index - 1]!)).toBe(true);
    }
    expect(drops.visitor).toBeGreaterThanOrEqual(2);
    expect(drops.agent).toBeGreaterThanOrEqual(2);

    const { rows, lastSeq } = await storedLog(server, conversationId);
    await waitFor(
      'both sides to catch up with the store',
      () =>
        framesOf(visitorLog.frames, conversationId).at(-1)?.seq === lastSeq &&
        framesOf(agentLog.frames, conversationId).at(-1)?.seq === lastSeq,
      15_000,
    );

    // The store: gap-free seqs 1..last_seq, every client id exactly once, nothing else.
    expect(rows.map((row) => row.seq)).toEqual(oneToN(lastSeq));
    const storedIds = rows.filter((row) => row.kind === 'message').map((row) => row.client_id);
    expect(storedIds).toHaveLength(new Set(storedIds).size);
    expect([...storedIds].sort()).toEqual([...sent.visitor, ...sent.agent].sort());

    const expectedFrames = rows.map((row) => frameOfRow(row, conversationId));
    for (const [name, log] of [
      ['visitor', visitorLog],
      ['agent', agentLog],
    ] as const) {
      const frames = framesOf(log.frames, conversationId);
      // Exactly the stored log, each frame once, in seq order: nothing lost, nothing twice.
      expect(
        frames.map((frame) => frame.seq),
        name,
      ).toEqual(oneToN(lastSeq));
      expect(frames, name).toEqual(expectedFrames);
      const ids = clientIdsOf(frames);
      // Each sender's messages appear in the order they were sent.
      expect(
        ids.filter((id) => id?.startsWith('v-')),
        name,
      ).toEqual(sent.visitor);
      expect(
        ids.filter((id) => id?.startsWith('a-')),
        name,
      ).toEqual(sent.agent);
    }
  });

  it('catches a client up after it missed more than one replay’s worth of the log', async () => {
    server = await startTestServer({ store });
    const agentProxy = await startProxy(server.server.port);
    proxies.push(agentProxy);
    // WebSocket only: refused reconnects must not move this test onto the HTTP fallback.
    const agent = await agentClient(agentProxy.url, server.agents[0]!, { transports: ['websocket'] });
    const visitor = await visitorClient(server.url, server.widgetId);
    clients.push(agent.client, visitor.client);
    const agentLog = recordSequenced(agent.client);
    const errors: string[] = [];
    agent.client.on('error', (frame) => errors.push(`agent: ${frame.code} ${frame.message}`));
    await agent.client.connect();
    await visitor.client.connect();

    const run = randomUUID().slice(0, 8);
    const first = await visitor.client.send({ body: 'Hello', clientId: `v-${run}-first` });
    const conversationId = first.conversationId;
    await waitFor('the agent to be assigned', () =>
      agentLog.frames.some((frame) => frame.type === 'conversation.assigned'),
    );

    // The agent's network is down while the visitor writes more than limits.replayLimit messages
    // of an ordinary length, so the agent's resume needs a reload and history pages.
    agentProxy.block();
    agentProxy.cut();
    const filler = 'a sentence of ordinary length that a visitor might write while waiting';
    const sends: Promise<MessageAck>[] = [];
    for (let i = 0; i < limits.replayLimit + 100; i++) {
      sends.push(visitor.client.send({ body: `visitor message ${i}: ${filler}`, clientId: `v-${run}-${i}` }));
    }
    await withTimeout(Promise.all(sends), 20_000, () => 'the visitor’s sends');
    agentProxy.unblock();

    const { rows, lastSeq } = await storedLog(server, conversationId);
    expect(lastSeq).toBeGreaterThan(limits.replayLimit);
    const expectedFrames = rows.map((row) => frameOfRow(row, conversationId));
    const caughtUp = (frames: SequencedFrame[]) => framesOf(frames, conversationId).at(-1)?.seq === lastSeq;
    await waitFor('the agent to catch up', () => caughtUp(agentLog.frames), 10_000).catch((error: Error) => {
      const at = framesOf(agentLog.frames, conversationId).at(-1)?.seq;
      throw new Error(`${error.message}: stuck at seq ${at} of ${lastSeq}; errors: ${errors.join('; ') || 'none'}`);
    });
    expect(framesOf(agentLog.frames, conversationId)).toEqual(expectedFrames);

    // A new tab of the same visitor (no resume point) gets the whole log too.
    const secondTab = createClient({
      url: server.url,
      role: 'visitor',
      token: visitor.token,
      widgetId: server.widgetId,
      WebSocket,
      transports: ['websocket'],
    });
    clients.push(secondTab);
    const tabLog = recordSequenced(secondTab);
    const tabErrors: string[] = [];
    secondTab.on('error', (frame) => tabErrors.push(`tab: ${frame.code} ${frame.message}`));
    await secondTab.connect();
    await waitFor('the new tab to load the log', () => caughtUp(tabLog.frames), 10_000).catch((error: Error) => {
      const at = framesOf(tabLog.frames, conversationId).at(-1)?.seq;
      throw new Error(`${error.message}: stuck at seq ${at} of ${lastSeq}; errors: ${tabErrors.join('; ') || 'none'}`);
    });
    expect(framesOf(tabLog.frames, conversationId)).toEqual(expectedFrames);
  });

  it('stores a resent client id once and answers every copy with the same ack', async () => {
    server = await startTestServer({ store });
    const agent = await agentClient(server.url, server.agents[0]!);
    const visitor = await visitorClient(server.url, server.widgetId);
    clients.push(agent.client, visitor.client);
    const agentLog = recordSequenced(agent.client);
    const visitorLog = recordSequenced(visitor.client);
    await agent.client.connect();
    await visitor.client.connect();

    const run = randomUUID().slice(0, 8);
    const first = await visitor.client.send({ body: 'first', clientId: `v-${run}-first` });
    const conversationId = first.conversationId;
    await waitFor('the agent to be assigned', () =>
      agentLog.frames.some((frame) => frame.type === 'conversation.assigned'),
    );
    const rawVisitor = await rawConnection(server.url, { role: 'visitor', token: visitor.token });
    const rawAgent = await rawConnection(server.url, { role: 'agent', token: agent.token });
    cleanups.push(rawVisitor.close, rawAgent.close);
    const same = (ack: ServerFrame, like: MessageAck) =>
      expect(ack).toMatchObject({
        type: 'message.ack',
        clientId: like.clientId,
        conversationId: like.conversationId,
        seq: like.seq,
        id: like.id,
      });

    // The client sends one id twice (as after a reload), then the same id comes raw on another tab.
    const visitorId = `v-${run}-dup`;
    const ack1 = await visitor.client.send({ body: 'only once', clientId: visitorId });
    const ack2 = await visitor.client.send({ body: 'only once', clientId: visitorId });
    same(ack2, ack1);
    rawVisitor.send({ type: 'message.send', clientId: visitorId, body: 'only once' });
    same((await rawVisitor.answers(visitorId, 1))[0]!, ack1);

    // A raw client resends a new id back to back, before the first copy is answered.
    const rawId = `v-${run}-raw`;
    rawVisitor.send({ type: 'message.send', clientId: rawId, body: 'raw twice' });
    rawVisitor.send({ type: 'message.send', clientId: rawId, body: 'raw twice' });
    const [rawAck1, rawAck2] = await rawVisitor.answers(rawId, 2);
    expect(rawAck1!.type).toBe('message.ack');
    same(rawAck2!, rawAck1 as MessageAck);

    // The agent too: through its client, then raw, twice.
    const agentId = `a-${run}-dup`;
    const agentAck = await agent.client.send({ body: 'agent once', clientId: agentId, conversationId });
    rawAgent.send({ type: 'message.send', clientId: agentId, conversationId, body: 'agent once' });
    rawAgent.send({ type: 'message.send', clientId: agentId, conversationId, body: 'agent once' });
    for (const answer of await rawAgent.answers(agentId, 2)) same(answer, agentAck);

    // Two copies racing on two connections: one wins, the other answers with the winner's ack.
    const raced: string[] = [];
    for (let k = 0; k < 10; k++) {
      const clientId = `v-${run}-race-${k}`;
      raced.push(clientId);
      rawVisitor.send({ type: 'message.send', clientId, body: `race ${k}` });
      const viaClient = await visitor.client.send({ body: `race ${k}`, clientId });
      same((await rawVisitor.answers(clientId, 1))[0]!, viaClient);
    }

    const expectedIds = [`v-${run}-first`, visitorId, rawId, agentId, ...raced];
    const { rows, lastSeq } = await storedLog(server, conversationId);
    const storedIds = rows.filter((row) => row.kind === 'message').map((row) => row.client_id);
    expect([...storedIds].sort()).toEqual([...expectedIds].sort());
    expect(rows.map((row) => row.seq)).toEqual(oneToN(lastSeq));

    await waitFor('every connection to reach the last seq', () =>
      [visitorLog.frames, agentLog.frames, rawVisitor.sequenced(conversationId), rawAgent.sequenced(conversationId)]
        .map((frames) => framesOf(frames, conversationId).at(-1)?.seq)
        .every((seq) => seq === lastSeq),
    );
    const expectedFrames = rows.map((row) => frameOfRow(row, conversationId));
    expect(framesOf(visitorLog.frames, conversationId)).toEqual(expectedFrames);
    expect(framesOf(agentLog.frames, conversationId)).toEqual(expectedFrames);
    // What the server itself sent each raw connection: the log once, in order, no duplicates.
    expect(rawVisitor.sequenced(conversationId).map((frame) => frame.seq)).toEqual(oneToN(lastSeq));
    expect(rawAgent.sequenced(conversationId).map((frame) => frame.seq)).toEqual(oneToN(lastSeq));
  });
});
