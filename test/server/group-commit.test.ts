/**
 * Group commit (src/server/services/group-commit.ts and the gateway's pipelined sends): the
 * messages that arrive together are stored in one transaction and each is acknowledged once,
 * only after that transaction committed; sequence numbers stay gap-free per conversation, a
 * retry in the same batch is stored once, and a socket's other frames keep their place in line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError, type SequencedFrame, type ServerFrame } from '../../src/protocol/index.js';
import { createGroupCommit, maxBatch } from '../../src/server/services/group-commit.js';
import { createLog, type Append, type Appended, type LogEntry } from '../../src/server/services/log.js';
import {
  agentClient,
  createVisitorSession,
  rawConnection,
  recordSequenced,
  startTestServer,
  storedLogOf,
  storeKinds,
  waitFor,
  type RawConnection,
  type StoreKind,
  type TestServer,
} from './harness.js';

type Ack = Extract<ServerFrame, { type: 'message.ack' }>;

const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

/** A visitor on a raw socket whose first message opened a conversation. */
async function visitorWithConversation(server: TestServer, tag: string) {
  const { token } = await createVisitorSession(server.url, server.widgetId);
  const raw = await rawConnection(server.url, { role: 'visitor', token });
  raw.send({ type: 'message.send', clientId: `${tag}-open`, body: `hello from ${tag}` });
  const [opened] = await raw.answers(`${tag}-open`, 1);
  expect(opened!.type).toBe('message.ack');
  return { raw, conversationId: (opened as Ack).conversationId };
}

/** Every frame a raw socket received before the pong to a ping sent now: replies come in order. */
async function settled(raw: RawConnection): Promise<ServerFrame[]> {
  const t = Date.now() + Math.random();
  raw.send({ type: 'ping', t });
  await raw.until('the pong', () => raw.received.find((frame) => frame.type === 'pong' && frame.t === t));
  return raw.received;
}

async function storedLog(server: TestServer, conversationId: string) {
  return storedLogOf(server.server.store.db, conversationId)
    .select(['seq', 'kind', 'client_id', 'body'])
    .orderBy('seq')
    .execute();
}

/**
 * The test server each test starts (`start`) and what it opens (`cleanups`), all closed after
 * each test of the enclosing describe.
 */
function serverPerTest() {
  let server: TestServer | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server?.close();
    server = undefined;
  });
  return {
    cleanups,
    async start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
      return (server = await startTestServer(options));
    },
  };
}

describe.each(storeKinds)('group commit over the gateway (%s)', (store: StoreKind) => {
  const { cleanups, start } = serverPerTest();

  it('stores a burst of sends from several visitors, sent in one tick, gap-free and acked once each', async () => {
    const server = await start({ store, maxChats: 10 });
    const agent = await agentClient(server.url, server.agents[0]!);
    cleanups.push(() => agent.client.close());
    const agentLog = recordSequenced(agent.client);
    await agent.client.connect();
    const visitors = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((tag) => visitorWithConversation(server, tag)));
    for (const visitor of visitors) cleanups.push(visitor.raw.close);
    await waitFor('every conversation to be assigned', () =>
      visitors.every(({ conversationId }) =>
        agentLog.frames.some(
          (frame) => frame.type === 'conversation.assigned' && frame.conversationId === conversationId,
        ),
      ),
    );

    const perVisitor = 40;
    const burst = (tag: string) => oneToN(perVisitor).map((k) => `${tag}-${k}`);
    ['a', 'b', 'c', 'd', 'e'].forEach((tag, index) => {
      const { raw, conversationId } = visitors[index]!;
      for (const clientId of burst(tag)) raw.send({ type: 'message.send', clientId, conversationId, body: clientId });
    });

    for (const [index, tag] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      const { raw, conversationId } = visitors[index]!;
      const received = await settled(raw);
      const answers = received.filter((frame) => frame.type === 'message.ack' || frame.type === 'error');
      // One answer per send, each an ack, in the order sent, with consecutive seqs after the
      // conversation's start, opening message and assignment.
      expect(answers.map((frame) => (frame as Ack).clientId)).toEqual([`${tag}-open`, ...burst(tag)]);
      expect(answers.every((frame) => frame.type === 'message.ack')).toBe(true);
      expect(answers.slice(1).map((frame) => (frame as Ack).seq)).toEqual(oneToN(perVisitor).map((k) => k + 3));
      const log = await storedLog(server, conversationId);
      expect(log.map((row) => row.seq)).toEqual(oneToN(perVisitor + 3));
      const messages = log.filter((row) => row.kind === 'message').map((row) => row.client_id);
      expect(messages).toEqual([`${tag}-open`, ...burst(tag)]);
    }
    await waitFor('the agent to receive every message', () =>
      visitors.every(
        ({ conversationId }) =>
          agentLog.frames.filter((frame) => frame.conversationId === conversationId && frame.type === 'message')
            .length ===
          perVisitor + 1,
      ),
    );
  });

  it('stores a retry that lands in the same batch once and acks both copies alike', async () => {
    const server = await start({ store });
    const { raw, conversationId } = await visitorWithConversation(server, 'v');
    cleanups.push(raw.close);
    const { token } = await createVisitorSession(server.url, server.widgetId);
    const stranger = await rawConnection(server.url, { role: 'visitor', token });
    cleanups.push(stranger.close);

    // Back to back on one socket: a send, its retry, the next message, and one more retry.
    raw.send({ type: 'message.send', clientId: 'twice', conversationId, body: 'once only' });
    raw.send({ type: 'message.send', clientId: 'twice', conversationId, body: 'once only' });
    raw.send({ type: 'message.send', clientId: 'next', conversationId, body: 'then this' });
    raw.send({ type: 'message.send', clientId: 'twice', conversationId, body: 'once only' });
    // The same burst carries a send another visitor may not make: refused, it takes no seq.
    stranger.send({ type: 'message.send', clientId: 'intruder', conversationId, body: 'let me in' });

    const [first, second, third] = await raw.answers('twice', 3);
    const [next] = await raw.answers('next', 1);
    expect(first).toMatchObject({ type: 'message.ack', conversationId, seq: 3 });
    for (const copy of [second, third]) expect(copy).toEqual(first);
    expect(next).toMatchObject({ type: 'message.ack', conversationId, seq: 4 });
    const [refused] = await stranger.answers('intruder', 1);
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });

    const log = await storedLog(server, conversationId);
    expect(log.map((row) => [row.seq, row.client_id])).toEqual([
      [1, null],
      [2, 'v-open'],
      [3, 'twice'],
      [4, 'next'],
    ]);
    const conversation = await server.server.store.db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation.last_seq).toBe(4);
  });

  it('lets a frame that is not a send wait for the sends before it', async () => {
    const server = await start({ store });
    const { raw, conversationId } = await visitorWithConversation(server, 'v');
    cleanups.push(raw.close);
    const sends = oneToN(30).map((k) => `before-end-${k}`);
    for (const clientId of sends) raw.send({ type: 'message.send', clientId, conversationId, body: clientId });
    raw.send({ type: 'conversation.end', ref: 'end-1', conversationId });
    raw.send({ type: 'message.send', clientId: 'after-end', conversationId, body: 'too late' });

    const [late] = await raw.answers('after-end', 1);
    expect(late).toMatchObject({ type: 'error', code: 'invalid_state' });
    const answers = raw.received.filter((frame) => ['message.ack', 'ok', 'error'].includes(frame.type));
    expect(answers.map((frame) => frame.type)).toEqual([
      'message.ack', // the opening message
      ...sends.map(() => 'message.ack'),
      'ok',
      'error',
    ]);
    const log = await storedLog(server, conversationId);
    expect(log.map((row) => row.client_id ?? row.kind)).toEqual([
      'conversation.started',
      'v-open',
      ...sends,
      'conversation.ended',
    ]);
  });
});

describe.each(storeKinds)('the group commit itself (%s)', (store: StoreKind) => {
  const { cleanups, start } = serverPerTest();

  /** A group commit on the test server's store that counts the transactions it opens. */
  async function setUp(conversations: number) {
    const server = await start({ store });
    const db = server.server.store.db;
    const ids: string[] = [];
    for (let k = 0; k < conversations; k++) {
      const { raw, conversationId } = await visitorWithConversation(server, `c${k}`);
      cleanups.push(raw.close);
      ids.push(conversationId);
    }
    let transactions = 0;
    const counting = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver) as unknown;
        return () => {
          transactions += 1;
          return target.transaction();
        };
      },
    });
    const published: SequencedFrame[][] = [];
    const log = createLog(db);
    const writer = (appendAll = log.appendAll) =>
      createGroupCommit({
        db: counting,
        log: { ...log, appendAll },
        now: Date.now,
        onCommitted: (frames) => published.push(frames),
      });
    return { server, ids, writer, published, transactions: () => transactions, db };
  }

  const message = (clientId: string): LogEntry => ({
    kind: 'message',
    body: clientId,
    clientId,
    author: { role: 'agent', id: 'test-author' },
  });
  const stored = (outcome: Appended) => ('stored' in outcome ? outcome.stored : undefined);

  it('writes the entries queued in one tick in one transaction, in order, with gap-free seqs', async () => {
    const { ids, writer, published, transactions } = await setUp(3);
    const commit = writer();
    const queued = oneToN(20).flatMap((k) =>
      ids.map((conversationId, c) => commit.append(conversationId, { entry: message(`m-${c}-${k}`) })),
    );
    const outcomes = await Promise.all(queued);

    expect(transactions()).toBe(1);
    expect(published).toHaveLength(1);
    expect(published[0]).toEqual(outcomes.map(stored));
    ids.forEach((conversationId, c) => {
      const mine = outcomes.map(stored).filter((frame) => frame?.conversationId === conversationId);
      // Seqs 1 and 2 are the conversation's start and its opening message.
      expect(mine.map((frame) => frame!.seq)).toEqual(oneToN(20).map((k) => k + 2));
      expect(mine.map((frame) => (frame as { clientId?: string }).clientId)).toEqual(
        oneToN(20).map((k) => `m-${c}-${k}`),
      );
    });
  });

  it('splits a queue longer than one batch into several commits', async () => {
    const { ids, writer, transactions } = await setUp(1);
    const commit = writer();
    const outcomes = await Promise.all(
      oneToN(maxBatch + 10).map((k) => commit.append(ids[0]!, { entry: message(`m-${k}`) })),
    );
    expect(transactions()).toBe(2);
    expect(outcomes.map((outcome) => stored(outcome)?.seq)).toEqual(oneToN(maxBatch + 10).map((k) => k + 2));
  });

  it('gives no seq to a refused entry or a repeated client id', async () => {
    const { ids, writer, db } = await setUp(1);
    const commit = writer();
    const refuse: Append['refuse'] = () => new ParleyError('forbidden', 'not you');
    const outcomes = await Promise.all([
      commit.append(ids[0]!, { entry: message('kept-1') }),
      commit.append(ids[0]!, { entry: message('refused'), refuse }),
      commit.append(ids[0]!, { entry: message('kept-1') }),
      commit.append('no-such-conversation', { entry: message('lost') }),
      commit.append(ids[0]!, { entry: message('kept-2') }),
    ]);
    expect(stored(outcomes[0])?.seq).toBe(3);
    expect(outcomes[1]).toEqual({ refused: new ParleyError('forbidden', 'not you') });
    expect(outcomes[2]).toEqual({ duplicate: true });
    expect((outcomes[3] as { refused: ParleyError }).refused.code).toBe('not_found');
    expect(stored(outcomes[4])?.seq).toBe(4);
    const conversation = await db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(conversation.last_seq).toBe(4);
  });

  it('fails only the entry that breaks its transaction', async () => {
    const { server, ids, writer, db } = await setUp(1);
    const log = createLog(db);
    const poisoned: typeof log.appendAll = async (trx, conversationId, appends, at) => {
      const outcomes = await log.appendAll(trx, conversationId, appends, at);
      if (appends.some(({ entry }) => entry.kind === 'message' && entry.body === 'poison'))
        throw new Error('the store refused the batch');
      return outcomes;
    };
    const commit = writer(poisoned);
    const settledOutcomes = await Promise.allSettled(
      ['before', 'poison', 'after'].map((clientId) => commit.append(ids[0]!, { entry: message(clientId) })),
    );
    expect(settledOutcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await storedLog(server, ids[0]!);
    expect(rows.map((row) => [row.seq, row.client_id])).toEqual([
      [1, null],
      [2, 'c0-open'],
      [3, 'before'],
      [4, 'after'],
    ]);
  });
});
