import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyClient } from '../../src/transport/index.js';
import { createAccount, createAgent } from '../../src/server/index.js';
import { agentClient, startTestServer, storeKinds, visitorClient, waitFor, type TestServer } from './harness.js';

describe.each(storeKinds)('agent look-ups on %s', (store) => {
  let server: TestServer;
  const clients: ParleyClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
  });

  async function connected<T extends { client: ParleyClient }>(created: Promise<T>): Promise<T> {
    const value = await created;
    clients.push(value.client);
    await value.client.connect();
    return value;
  }

  it('shows an agent the visitor details the widget sent', async () => {
    server = await startTestServer({ store });
    const agent = await connected(agentClient(server.url, server.agents[0]!));
    const visitor = await connected(visitorClient(server.url, server.widgetId));
    await visitor.client.request({ type: 'visitor.identify', email: 'Kim@Example.com', name: 'Kim' });
    await visitor.client.request({
      type: 'visitor.update',
      page: 'https://shop.example/cart',
      referrer: 'https://search.example/?q=shoes',
      language: 'de-DE',
      timezone: 'Europe/Berlin',
      custom: { plan: 'pro', seats: 5 },
    });
    await visitor.client.request({ type: 'visitor.update', custom: { trial: false } });
    const { visitor: details } = await agent.client.request({ type: 'visitor.get', visitorId: visitor.visitorId });
    expect(details).toMatchObject({
      id: visitor.visitorId,
      name: 'Kim',
      email: 'kim@example.com',
      verified: false,
      page: 'https://shop.example/cart',
      referrer: 'https://search.example/?q=shoes',
      language: 'de-DE',
      timezone: 'Europe/Berlin',
      custom: { plan: 'pro', seats: 5, trial: false },
    });
    await expect(visitor.client.request({ type: 'visitor.get', visitorId: visitor.visitorId })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('finds past conversations by visitor email and by text, newest first, in pages', async () => {
    server = await startTestServer({ store });
    const agent = await connected(agentClient(server.url, server.agents[0]!));
    const bodies = ['My invoice is wrong', 'Shipping to Norway?', 'A 50% discount code', 'Another INVOICE question'];
    const conversations: string[] = [];
    for (const [index, body] of bodies.entries()) {
      const visitor = await connected(visitorClient(server.url, server.widgetId));
      await visitor.client.request({
        type: 'visitor.identify',
        email: index % 2 === 0 ? 'sam@example.com' : 'alex@example.com',
      });
      conversations.push((await visitor.client.send({ body })).conversationId);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct start times
    }
    const byEmail = await agent.client.request({ type: 'transcripts.search', email: 'SAM@example.com' });
    expect(byEmail.items.map((item) => item.conversationId)).toEqual([conversations[2], conversations[0]]);
    const byText = await agent.client.request({ type: 'transcripts.search', text: 'invoice' });
    expect(byText.items.map((item) => item.preview)).toEqual(['Another INVOICE question', 'My invoice is wrong']);
    // LIKE wildcards are literal: "50%" matches only the discount message.
    const literal = await agent.client.request({ type: 'transcripts.search', text: '50%' });
    expect(literal.items.map((item) => item.conversationId)).toEqual([conversations[2]]);
    const wildcard = await agent.client.request({ type: 'transcripts.search', text: '_' });
    expect(wildcard.items).toEqual([]);
    const page1 = await agent.client.request({ type: 'transcripts.search', limit: 3 });
    expect(page1.more).toBe(true);
    const page2 = await agent.client.request({
      type: 'transcripts.search',
      limit: 3,
      before: page1.items.at(-1)!.startedAt,
    });
    expect([...page1.items, ...page2.items].map((item) => item.conversationId)).toEqual([...conversations].reverse());
    expect(page2.more).toBe(false);
    // A transcript is read with history.
    const transcript = await agent.client.request({ type: 'history', conversationId: conversations[1]!, afterSeq: 0 });
    expect(transcript.frames.map((frame) => frame.type)).toContain('message');
  });

  it('lists the call-me and offline inboxes, open ones or all', async () => {
    server = await startTestServer({ store });
    const agent = await connected(agentClient(server.url, server.agents[0]!));
    const visitor = await connected(visitorClient(server.url, server.widgetId));
    await visitor.client.request({ type: 'callme.request', phone: '+1 555 0100' });
    await visitor.client.request({ type: 'callme.request', phone: '+1 555 0199' });
    await visitor.client.request({ type: 'offline.message', email: 'lee@example.com', body: 'Call me back' });
    const open = await agent.client.request({ type: 'requests.list', kind: 'callme', open: true });
    expect(open.callme?.map((request) => request.phone)).toEqual(['+1 555 0199', '+1 555 0100']);
    await agent.client.request({ type: 'callme.done', id: open.callme![0]!.id });
    await waitFor('done recorded', async () => {
      const after = await agent.client.request({ type: 'requests.list', kind: 'callme', open: true });
      return after.callme?.length === 1;
    });
    const all = await agent.client.request({ type: 'requests.list', kind: 'callme' });
    expect(all.callme).toHaveLength(2);
    const offline = await agent.client.request({ type: 'requests.list', kind: 'offline', open: true });
    expect(offline.offline?.map((request) => request.email)).toEqual(['lee@example.com']);
  });

  it("keeps another account's agents out", async () => {
    server = await startTestServer({ store });
    const visitor = await connected(visitorClient(server.url, server.widgetId));
    const { conversationId } = await visitor.client.send({ body: 'private' });
    const db = server.server.store.db;
    const otherAccount = await createAccount(db, 'Other');
    const outsider = { email: 'outsider@test.local', password: 'outsider-password-1', id: '' };
    outsider.id = await createAgent(db, otherAccount, { ...outsider, name: 'Outsider', status: 'online' });
    const agent = await connected(agentClient(server.url, outsider));
    await expect(agent.client.request({ type: 'visitor.get', visitorId: visitor.visitorId })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(agent.client.request({ type: 'history', conversationId, afterSeq: 0 })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await agent.client.request({ type: 'transcripts.search' })).items).toEqual([]);
  });
});
