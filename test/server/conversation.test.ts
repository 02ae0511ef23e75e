import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import type { ParleyClient } from '../../src/transport/index.js';
import {
  agentClient,
  nextEvent,
  recordSequenced,
  startTestServer,
  storeKinds,
  visitorClient,
  storedLogOf,
  waitFor,
  type TestServer,
} from './harness.js';

describe.each(storeKinds)('conversations on %s', (store) => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  const track = <T extends { client: ParleyClient }>(created: T): T => {
    clients.push(created.client);
    return created;
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
  });

  it('relays messages both ways, in order, with acks after storage', async () => {
    server = await startTestServer({ store });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    const agentLog = recordSequenced(agent.client);
    await agent.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    const visitorLog = recordSequenced(visitor.client);
    await visitor.client.connect();

    const first = await visitor.client.send({ body: 'Hello, is anyone there?' });
    expect(first.seq).toBe(2); // seq 1 is conversation.started
    await waitFor('assignment', () => agentLog.frames.some((frame) => frame.type === 'conversation.assigned'));
    const conversationId = first.conversationId;
    await agent.client.send({ conversationId, body: 'Hi! How can I help?' });
    await visitor.client.send({ body: 'My order is late.' });
    await agent.client.send({ conversationId, body: 'Let me check.' });

    const expected = ['Hello, is anyone there?', 'Hi! How can I help?', 'My order is late.', 'Let me check.'];
    await waitFor(
      'both sides to see four messages',
      () => visitorLog.messages().length === 4 && agentLog.messages().length === 4,
    );
    expect(visitorLog.messages()).toEqual(expected);
    expect(agentLog.messages()).toEqual(expected);
    const seqs = agentLog.frames.map((frame) => frame.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const stored = await storedLogOf(server.server.store.db, conversationId)
      .select(['body', 'seq'])
      .where('kind', '=', 'message')
      .orderBy('seq')
      .execute();
    expect(stored.map((row) => row.body)).toEqual(expected);
  });

  it('stores a retried client id once and acks it again', async () => {
    server = await startTestServer({ store });
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const ack1 = await visitor.client.send({ body: 'once', clientId: 'retry-me-1' });
    const ack2 = await visitor.client.send({ body: 'once', clientId: 'retry-me-1' });
    expect(ack2).toMatchObject({ seq: ack1.seq, id: ack1.id, conversationId: ack1.conversationId });
    const rows = await server.server.store.db
      .selectFrom('messages')
      .select('id')
      .where('client_id', '=', 'retry-me-1')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('acks a retry that arrives after its conversation ended, without storing it again', async () => {
    server = await startTestServer({ store });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    await agent.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const first = await visitor.client.send({ body: 'stored before the end', clientId: 'late-retry-1' });
    await waitFor('assignment', () =>
      agent.client.resumePoints().some((point) => point.conversationId === first.conversationId),
    );
    await agent.client.request({ type: 'conversation.end', conversationId: first.conversationId });
    const named = await visitor.client.send({
      body: 'stored before the end',
      clientId: 'late-retry-1',
      conversationId: first.conversationId,
    });
    const unnamed = await visitor.client.send({ body: 'stored before the end', clientId: 'late-retry-1' });
    expect(named).toMatchObject({ seq: first.seq, id: first.id, conversationId: first.conversationId });
    expect(unnamed).toMatchObject({ seq: first.seq, id: first.id, conversationId: first.conversationId });
    const rows = await server.server.store.db
      .selectFrom('messages')
      .select('id')
      .where('client_id', '=', 'late-retry-1')
      .execute();
    expect(rows).toHaveLength(1);
    expect(await server.server.store.db.selectFrom('conversations').select('id').execute()).toHaveLength(1);
  });

  it('queues visitors with positions when agents are full, and routes as seats free up', async () => {
    server = await startTestServer({ store, maxChats: 1 });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    await agent.client.connect();
    const queueUpdates: ServerFrameOf<'queue'>[] = [];
    agent.client.on('queue', (frame) => queueUpdates.push(frame));

    const visitors: { client: ParleyClient; positions: number[]; conversationId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const visitor = track(await visitorClient(server.url, server.widgetId));
      const positions: number[] = [];
      visitor.client.on('queue.position', (frame) => positions.push(frame.position));
      await visitor.client.connect();
      const ack = await visitor.client.send({ body: `visitor ${i} says hi` });
      visitors.push({ client: visitor.client, positions, conversationId: ack.conversationId });
    }
    await waitFor('two waiting in the queue', () => queueUpdates.at(-1)?.items.length === 2);
    expect(queueUpdates.at(-1)!.items.map((item) => item.firstMessage)).toEqual([
      'visitor 1 says hi',
      'visitor 2 says hi',
    ]);
    await waitFor(
      'positions 1 and 2',
      () => visitors[1]!.positions.at(-1) === 1 && visitors[2]!.positions.at(-1) === 2,
    );
    expect(visitors[0]!.positions).toEqual([]);

    // Ending the first chat frees the seat: visitor 1 is routed, visitor 2 moves up.
    const assigned = nextEvent<ServerFrameOf<'conversation.assigned'>>(visitors[1]!.client, 'conversation.assigned');
    await agent.client.request({ type: 'conversation.end', conversationId: visitors[0]!.conversationId });
    await assigned;
    await waitFor('visitor 2 at position 1', () => visitors[2]!.positions.at(-1) === 1);
    await waitFor('queue of one', () => queueUpdates.at(-1)?.items.length === 1);
  });

  it('lets an agent take a waiting chat by hand', async () => {
    server = await startTestServer({ store, maxChats: 0 });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    await agent.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const ack = await visitor.client.send({ body: 'anyone?' });
    await waitFor('queued', () => true);
    const assigned = nextEvent<ServerFrameOf<'conversation.assigned'>>(visitor.client, 'conversation.assigned');
    await agent.client.request({ type: 'conversation.take', conversationId: ack.conversationId });
    expect((await assigned).agent.id).toBe(server.agents[0]!.id);
    await expect(
      agent.client.request({ type: 'conversation.take', conversationId: 'no-such-conversation' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('stores an offline message when no agent is online and tells agents when they come', async () => {
    server = await startTestServer({ store, agents: 0 });
    const config = (await (await fetch(`${server.url}/v1/widgets/${server.widgetId}/config`)).json()) as {
      online: boolean;
    };
    expect(config.online).toBe(false);
    const visitor = track(await visitorClient(server.url, server.widgetId));
    const availability = nextEvent<ServerFrameOf<'availability'>>(visitor.client, 'availability');
    await visitor.client.connect();
    expect((await availability).online).toBe(false);
    await visitor.client.request({
      type: 'offline.message',
      email: 'ada@example.com',
      name: 'Ada',
      body: 'Please call back about my invoice.',
    });
    const rows = await server.server.store.db.selectFrom('offline_requests').selectAll().execute();
    expect(rows).toMatchObject([
      { email: 'ada@example.com', name: 'Ada', body: 'Please call back about my invoice.', handled_at: null },
    ]);

    const online = nextEvent<ServerFrameOf<'availability'>>(visitor.client, 'availability', (frame) => frame.online);
    const agentRecord = await server.addAgent();
    const agent = track(await agentClient(server.url, agentRecord));
    await agent.client.connect();
    await online;
    const handled = nextEvent<ServerFrameOf<'offline'>>(
      agent.client,
      'offline',
      (frame) => frame.request.handledAt !== undefined,
    );
    await agent.client.request({ type: 'offline.handled', id: rows[0]!.id });
    expect((await handled).request.email).toBe('ada@example.com');
  });

  it('sends call-me requests to agents', async () => {
    server = await startTestServer({ store });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    await agent.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const callme = nextEvent<ServerFrameOf<'callme'>>(agent.client, 'callme');
    await visitor.client.request({
      type: 'callme.request',
      phone: '+49 30 1234567',
      page: 'https://shop.example/checkout',
    });
    expect((await callme).request).toMatchObject({ phone: '+49 30 1234567', page: 'https://shop.example/checkout' });
    await expect(visitor.client.request({ type: 'callme.request', phone: 'call me maybe' })).rejects.toMatchObject({
      code: 'bad_frame',
    });
  });

  it('transfers a chat to another agent with a note, then ends it and takes the survey', async () => {
    server = await startTestServer({ store, agents: 2 });
    const [first, second] = [
      track(await agentClient(server.url, server.agents[0]!)),
      track(await agentClient(server.url, server.agents[1]!)),
    ];
    await first.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    const visitorLog = recordSequenced(visitor.client);
    await visitor.client.connect();
    const { conversationId } = await visitor.client.send({ body: 'I need billing help' });
    await waitFor('assigned to the first agent', () =>
      visitorLog.frames.some((frame) => frame.type === 'conversation.assigned'),
    );
    await second.client.connect();
    const secondLog = recordSequenced(second.client);
    await expect(
      first.client.request({ type: 'conversation.transfer', conversationId, toAgentId: 'nobody-here' }),
    ).rejects.toMatchObject({ code: 'agent_unavailable' });
    await first.client.request({
      type: 'conversation.transfer',
      conversationId,
      toAgentId: server.agents[1]!.id,
      note: 'billing question',
    });
    await waitFor('the second agent to get the history', () => secondLog.messages(conversationId).length === 1);
    const transferred = visitorLog.frames.find((frame) => frame.type === 'conversation.transferred');
    expect(transferred).toMatchObject({
      from: { id: server.agents[0]!.id },
      to: { id: server.agents[1]!.id },
      note: 'billing question',
    });
    // The first agent may no longer write; the second may.
    await expect(first.client.send({ conversationId, body: 'still me?' })).rejects.toMatchObject({ code: 'forbidden' });
    await second.client.send({ conversationId, body: 'Billing here, hello!' });
    await second.client.request({ type: 'conversation.end', conversationId });
    await waitFor('end reaches the visitor', () =>
      visitorLog.frames.some((frame) => frame.type === 'conversation.ended'),
    );
    expect(visitorLog.frames.find((frame) => frame.type === 'conversation.ended')).toMatchObject({ by: 'agent' });
    await expect(visitor.client.send({ conversationId, body: 'wait' })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await visitor.client.request({ type: 'survey.submit', conversationId, score: 5, comment: 'Quick and kind' });
    await waitFor('the agent sees the survey', () =>
      secondLog.frames.some((frame) => frame.type === 'survey.submitted'),
    );
    expect(secondLog.frames.find((frame) => frame.type === 'survey.submitted')).toMatchObject({
      score: 5,
      comment: 'Quick and kind',
    });
    // A new message after the end starts a new conversation.
    const next = await visitor.client.send({ body: 'one more question' });
    expect(next.conversationId).not.toBe(conversationId);
  });

  it('relays typing and the sneak-peek draft to the agent only', async () => {
    server = await startTestServer({ store });
    const agent = track(await agentClient(server.url, server.agents[0]!));
    await agent.client.connect();
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const { conversationId } = await visitor.client.send({ body: 'hi' });
    await waitFor('agent joined', () =>
      agent.client.resumePoints().some((point) => point.conversationId === conversationId),
    );
    const visitorTyping: unknown[] = [];
    visitor.client.on('typing', (frame) => visitorTyping.push(frame));
    const peek = nextEvent<ServerFrameOf<'typing'>>(agent.client, 'typing');
    expect(visitor.client.typing({ typing: true, draft: 'I want to ret' })).toBe(true);
    expect(await peek).toMatchObject({ conversationId, role: 'visitor', typing: true, draft: 'I want to ret' });
    const agentTyping = nextEvent<ServerFrameOf<'typing'>>(visitor.client, 'typing');
    agent.client.typing({ conversationId, typing: true, draft: 'agents never leak drafts' });
    const seen = await agentTyping;
    expect(seen).toMatchObject({ role: 'agent', typing: true });
    expect(seen.draft).toBeUndefined();
    expect(visitorTyping.every((frame) => (frame as { role: string }).role === 'agent')).toBe(true);
  });

  it("keeps one visitor out of another visitor's conversation", async () => {
    server = await startTestServer({ store });
    const alice = track(await visitorClient(server.url, server.widgetId));
    await alice.client.connect();
    const { conversationId } = await alice.client.send({ body: 'my secret order number is 42' });
    const mallory = track(await visitorClient(server.url, server.widgetId));
    const malloryLog = recordSequenced(mallory.client);
    await mallory.client.connect();
    await expect(mallory.client.request({ type: 'history', conversationId, afterSeq: 0 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(mallory.client.send({ conversationId, body: 'let me in' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(mallory.client.request({ type: 'conversation.end', conversationId })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(mallory.client.request({ type: 'conversation.take', conversationId })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(malloryLog.frames).toEqual([]);
    const stored = await storedLogOf(server.server.store.db, conversationId)
      .select('body')
      .where('kind', '=', 'message')
      .execute();
    expect(stored.map((row) => row.body)).toEqual(['my secret order number is 42']);
  });

  it('closes the sockets of a logged-out agent, and of every session on "log out everywhere"', async () => {
    server = await startTestServer({ store });
    const agentRecord = server.agents[0]!;
    const [tab1, tab2, tab3] = [
      track(await agentClient(server.url, agentRecord)),
      track(await agentClient(server.url, agentRecord)),
      track(await agentClient(server.url, agentRecord)),
    ];
    await Promise.all([tab1.client.connect(), tab2.client.connect(), tab3.client.connect()]);

    const closed1 = nextEvent<{ code: number; final: boolean }>(tab1.client, 'closed');
    const logout = await fetch(`${server.url}/v1/agent/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tab1.token}` },
    });
    expect(await logout.json()).toEqual({ ended: 1 });
    expect(await closed1).toMatchObject({ code: 4409, final: true });
    expect(tab2.client.state).toBe('open');

    const closed2 = nextEvent<{ code: number }>(tab2.client, 'closed');
    const closed3 = nextEvent<{ code: number }>(tab3.client, 'closed');
    const everywhere = await fetch(`${server.url}/v1/agent/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tab2.token}` },
      body: JSON.stringify({ everywhere: true }),
    });
    expect(await everywhere.json()).toEqual({ ended: 2 });
    expect((await closed2).code).toBe(4409);
    expect((await closed3).code).toBe(4409);
    // The old token is dead for new connections and HTTP calls alike.
    const again = await fetch(`${server.url}/v1/agent/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tab3.token}` },
    });
    expect(again.status).toBe(401);
  });

  it('ends a visitor session on request: the token is refused afterwards', async () => {
    server = await startTestServer({ store });
    const visitor = track(await visitorClient(server.url, server.widgetId));
    await visitor.client.connect();
    const closed = nextEvent<{ code: number; final: boolean }>(visitor.client, 'closed');
    const response = await fetch(`${server.url}/v1/visitor/session?widget=${server.widgetId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${visitor.token}` },
    });
    expect(response.status).toBe(204);
    expect(await closed).toMatchObject({ code: 4409, final: true });
    const reuse = await fetch(`${server.url}/v1/frames?widget=${server.widgetId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${visitor.token}` },
      body: JSON.stringify({ frames: [{ type: 'ping' }] }),
    });
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('carries a whole chat over the HTTP fallback', async () => {
    server = await startTestServer({ store });
    const agent = track(await agentClient(server.url, server.agents[0]!, { transports: ['http'] }));
    const agentLog = recordSequenced(agent.client);
    await agent.client.connect();
    expect(agent.client.transport).toBe('http');
    const visitor = track(await visitorClient(server.url, server.widgetId, { transports: ['http'] }));
    const visitorLog = recordSequenced(visitor.client);
    await visitor.client.connect();
    const { conversationId } = await visitor.client.send({ body: 'over plain HTTP' });
    await waitFor('agent sees it', () => agentLog.messages().length === 1);
    await agent.client.send({ conversationId, body: 'and back again' });
    await waitFor('visitor sees the reply', () => visitorLog.messages().length === 2);
    expect(visitorLog.messages()).toEqual(['over plain HTTP', 'and back again']);
  });
});
