/**
 * The Hub's state layer against a real server: login, the queue, taking a chat, replies with
 * typing, the sneak peek, transfer between two agents, end and survey, transcripts, a dropped
 * connection, and log out everywhere. A scripted visitor drives the other side from Node through
 * the transport client; the agents are Hub session controllers with `ws` injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import type { ParleyClient } from '../../src/transport/index.js';
import { isMine, type Chat } from '../../src/hub/state/chat.js';
import type { ConsoleStore } from '../../src/hub/state/console-store.js';
import { createHub, type Hub } from '../../src/hub/state/hub.js';
import type { StorageLike } from '../../src/hub/state/saved-session.js';
import { openTabChannel, type TabChannel } from '../../src/hub/state/tab-channel.js';
import {
  nextEvent,
  recordSequenced,
  startProxy,
  startTestServer,
  visitorClient,
  storedLogOf,
  waitFor,
  type TestAgent,
  type TestServer,
} from '../server/harness.js';

const generousRates = {
  messages: { perSecond: 10_000, burst: 10_000 },
  sessionsPerIp: { perSecond: 1_000, burst: 1_000 },
  logins: { perSecond: 1_000, burst: 1_000 },
};

let server: TestServer | undefined;
const hubs: Hub[] = [];
const clients: ParleyClient[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const hub of hubs.splice(0)) hub.dispose();
  for (const client of clients.splice(0)) client.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await server?.close();
  server = undefined;
});

function hubAt(url: string, extras: { storage?: StorageLike; tabs?: TabChannel } = {}): Hub {
  const hub = createHub({
    url,
    fetch: (target, init) => fetch(target, init),
    WebSocket,
    clientOptions: { backoff: { minMs: 50, maxMs: 300 } },
    ...extras,
  });
  hubs.push(hub);
  return hub;
}

function storeOf(hub: Hub): ConsoleStore {
  const view = hub.view.value;
  if (view.page !== 'console') throw new Error(`expected the console, got the ${view.page} page`);
  return view.store;
}

/** Logs an agent in and waits until the console is connected and knows the agent's status. */
async function loggedIn(hub: Hub, agent: TestAgent): Promise<ConsoleStore> {
  const result = await hub.login(agent.email, agent.password);
  expect(result).toEqual({ ok: true });
  const store = storeOf(hub);
  await waitFor('the console to connect', () => store.connection.value === 'open' && store.status.value !== undefined);
  return store;
}

async function visitor(extras: Parameters<typeof visitorClient>[2] = {}) {
  const created = await visitorClient(server!.url, server!.widgetId, extras);
  clients.push(created.client);
  const log = recordSequenced(created.client);
  await created.client.connect();
  return { ...created, log };
}

const messages = (chat: Chat | undefined) =>
  (chat?.timeline ?? []).flatMap((entry) => (entry.type === 'message' ? [entry.body] : []));

describe('the Hub against a real server', () => {
  it('gives one message for an unknown email and a wrong password, and explains a rate limit', async () => {
    server = await startTestServer({
      config: { rates: { ...generousRates, logins: { perSecond: 0.001, burst: 3 } } },
    });
    const hub = hubAt(server.url);
    const unknown = await hub.login('nobody@test.local', 'some-password');
    const wrong = await hub.login(server.agents[0]!.email, 'not-the-password');
    expect(unknown).toEqual({ ok: false, message: 'Wrong email or password.' });
    expect(wrong).toEqual(unknown);
    expect(hub.view.value.page).toBe('login');
    await hub.login(server.agents[0]!.email, 'still-wrong');
    expect(await hub.login(server.agents[0]!.email, server.agents[0]!.password)).toEqual({
      ok: false,
      message: 'Too many login attempts. Wait a few minutes, then try again.',
    });
  });

  it('takes a chat from the queue, sees the sneak peek and visitor details, and replies with typing', async () => {
    server = await startTestServer({ config: { rates: generousRates } });
    const agent = server.agents[0]!;
    const store = await loggedIn(hubAt(server.url), agent);
    // Paused agents get no chats routed to them: the chat waits in the queue.
    expect(await store.setStatus('paused')).toEqual({ ok: true });
    await waitFor('the paused status', () => store.status.value === 'paused');
    expect(store.presence.value.find((entry) => entry.id === agent.id)?.status).toBe('paused');

    const ana = await visitor();
    await ana.client.request({ type: 'visitor.identify', email: 'ana@example.com', name: 'Ana Silva' });
    await ana.client.request({
      type: 'visitor.update',
      page: 'https://shop.example/checkout',
      referrer: 'https://search.example/?q=boots',
      language: 'pt-BR',
      timezone: 'America/Sao_Paulo',
      custom: { plan: 'Pro', orders: 3 },
    });
    const before = Date.now();
    const { conversationId } = await ana.client.send({ body: 'Hello, I need help with my order' });

    await waitFor('the queue', () => store.queue.value.length === 1);
    const [waiting] = store.queue.value;
    expect(waiting).toMatchObject({
      conversationId,
      firstMessage: 'Hello, I need help with my order',
      visitor: { name: 'Ana Silva', email: 'ana@example.com', verified: false },
    });
    expect(waiting!.since).toBeGreaterThanOrEqual(before - 1000);
    expect(store.chats.value.has(conversationId)).toBe(false);

    expect(await store.take(conversationId)).toEqual({ ok: true });
    expect(store.view.value).toEqual({ kind: 'chat', id: conversationId });
    await waitFor('the taken chat', () => {
      const chat = store.chats.value.get(conversationId);
      return chat !== undefined && isMine(chat, agent.id) && messages(chat).length === 1;
    });
    expect(messages(store.chats.value.get(conversationId))).toEqual(['Hello, I need help with my order']);
    await waitFor('the queue to empty', () => store.queue.value.length === 0);

    ana.client.typing({ typing: true, draft: 'It is order 12' });
    await waitFor('the sneak peek', () => store.chats.value.get(conversationId)?.sneakPeek === 'It is order 12');
    expect(store.chats.value.get(conversationId)!.visitorTyping).toBe(true);

    const agentTyping = nextEvent<ServerFrameOf<'typing'>>(ana.client, 'typing', (frame) => frame.typing);
    store.draftChanged(conversationId, 'Let me');
    expect((await agentTyping).role).toBe('agent');
    const stoppedTyping = nextEvent<ServerFrameOf<'typing'>>(ana.client, 'typing', (frame) => !frame.typing);
    expect(await store.send(conversationId, 'Let me check that for you')).toEqual({ ok: true });
    await stoppedTyping;
    await waitFor('the reply at the visitor', () => ana.log.messages().includes('Let me check that for you'));

    await ana.client.send({ body: 'Thanks!' });
    await waitFor('the third message', () => messages(store.chats.value.get(conversationId)).length === 3);
    const chat = store.chats.value.get(conversationId)!;
    expect(messages(chat)).toEqual(['Hello, I need help with my order', 'Let me check that for you', 'Thanks!']);
    expect(chat.sneakPeek).toBe('');
    expect(store.outgoing.value).toEqual([]);

    await store.loadVisitor(chat.visitor.id);
    expect(store.visitors.value.get(chat.visitor.id)).toMatchObject({
      state: 'ready',
      details: {
        name: 'Ana Silva',
        email: 'ana@example.com',
        verified: false,
        page: 'https://shop.example/checkout',
        referrer: 'https://search.example/?q=boots',
        language: 'pt-BR',
        timezone: 'America/Sao_Paulo',
        custom: { plan: 'Pro', orders: 3 },
      },
    });
  });

  it('transfers a chat between two agents with a note; the second replies, ends it and sees the survey', async () => {
    server = await startTestServer({ agents: 2, config: { rates: generousRates } });
    const [first, second] = server.agents as [TestAgent, TestAgent];
    const firstStore = await loggedIn(hubAt(server.url), first);
    const ana = await visitor();
    await ana.client.request({ type: 'visitor.identify', email: 'ana@example.com', name: 'Ana' });
    const { conversationId } = await ana.client.send({ body: 'I want a refund' });
    await waitFor('the chat routed to the first agent', () => {
      const chat = firstStore.chats.value.get(conversationId);
      return chat !== undefined && isMine(chat, first.id) && messages(chat).length === 1;
    });

    const secondStore = await loggedIn(hubAt(server.url), second);
    await waitFor('the second agent online', () =>
      firstStore.transferTargets.value.some((agent) => agent.id === second.id),
    );
    expect(firstStore.transferTargets.value.map((agent) => agent.id)).toEqual([second.id]);

    expect(await firstStore.transfer(conversationId, second.id, 'VIP: refund approved')).toEqual({ ok: true });
    await waitFor('the chat at the second agent', () => {
      const chat = secondStore.chats.value.get(conversationId);
      return chat !== undefined && isMine(chat, second.id);
    });
    const received = secondStore.chats.value.get(conversationId)!;
    expect(messages(received)).toEqual(['I want a refund']);
    expect(received.timeline.at(-1)).toMatchObject({
      type: 'conversation.transferred',
      from: { id: first.id },
      to: { id: second.id },
      note: 'VIP: refund approved',
    });
    await waitFor('the first agent to see it leave', () => {
      const chat = firstStore.chats.value.get(conversationId)!;
      return chat.agent?.id === second.id && !isMine(chat, first.id);
    });
    expect(await firstStore.send(conversationId, 'Still here?')).toEqual({
      ok: false,
      message: 'Not sent: this chat is no longer yours.',
    });

    expect(await secondStore.send(conversationId, 'Hi Ana, I am taking over')).toEqual({ ok: true });
    await waitFor('the second agent’s reply at the visitor', () =>
      ana.log.messages().includes('Hi Ana, I am taking over'),
    );
    expect(ana.log.messages()).toEqual(['I want a refund', 'Hi Ana, I am taking over']);

    const ended = nextEvent(ana.client, 'conversation.ended');
    expect(await secondStore.end(conversationId)).toEqual({ ok: true });
    await ended;
    await waitFor('the end at the agent', () => secondStore.chats.value.get(conversationId)?.status === 'ended');
    await ana.client.request({ type: 'survey.submit', conversationId, score: 5, comment: 'Very helpful' });
    await waitFor('the survey', () => secondStore.chats.value.get(conversationId)?.survey !== undefined);
    expect(secondStore.chats.value.get(conversationId)!.survey).toEqual({ score: 5, comment: 'Very helpful' });

    // Transcripts: found by the visitor's email and by text, and read in full.
    const byEmail = await secondStore.searchTranscripts({ email: 'ana@example.com' });
    expect(byEmail).toMatchObject({
      ok: true,
      items: [{ conversationId, status: 'ended', preview: 'I want a refund' }],
    });
    const byText = await secondStore.searchTranscripts({ text: 'taking over' });
    expect(byText.ok && byText.items.map((item) => item.conversationId)).toEqual([conversationId]);
    const noMatch = await secondStore.searchTranscripts({ text: 'no such words here' });
    expect(noMatch).toEqual({ ok: true, items: [], more: false });
    const transcript = await secondStore.readTranscript(conversationId);
    expect(transcript.ok && transcript.complete).toBe(true);
    expect(transcript.ok && messages(transcript.chat)).toEqual(['I want a refund', 'Hi Ana, I am taking over']);
    expect(transcript.ok && transcript.chat?.survey).toEqual({ score: 5, comment: 'Very helpful' });
  });

  it('shows "reconnecting" on a dropped link, then every visitor message once, in order, and sends the offline reply once', async () => {
    server = await startTestServer({ config: { rates: generousRates } });
    const proxy = await startProxy(Number(new URL(server.url).port));
    cleanups.push(() => proxy.close());
    const agent = server.agents[0]!;
    const store = await loggedIn(hubAt(proxy.url), agent);
    const ana = await visitor();
    const { conversationId } = await ana.client.send({ body: 'message 1' });
    await waitFor('the chat', () => messages(store.chats.value.get(conversationId)).length === 1);

    proxy.block();
    proxy.cut();
    await waitFor('reconnecting', () => store.connection.value === 'reconnecting');
    for (let i = 2; i <= 6; i++) await ana.client.send({ body: `message ${i}` });
    const reply = store.send(conversationId, 'Typed while the network was down');
    expect(store.outgoing.value.map((entry) => entry.body)).toEqual(['Typed while the network was down']);

    proxy.unblock();
    expect(await reply).toEqual({ ok: true });
    await waitFor('the link back', () => store.connection.value === 'open');
    await waitFor('every message', () => messages(store.chats.value.get(conversationId)).length === 7);
    const seen = messages(store.chats.value.get(conversationId));
    expect(seen.filter((body) => body.startsWith('message '))).toEqual([
      'message 1',
      'message 2',
      'message 3',
      'message 4',
      'message 5',
      'message 6',
    ]);
    expect(seen.filter((body) => body === 'Typed while the network was down')).toHaveLength(1);
    await waitFor('the reply at the visitor', () => ana.log.messages().includes('Typed while the network was down'));
    const stored = await storedLogOf(server.server.store.db, conversationId)
      .select('body')
      .where('body', '=', 'Typed while the network was down')
      .execute();
    expect(stored).toHaveLength(1);
    expect(store.outgoing.value).toEqual([]);
    // The agent never opened the chat: all six visitor messages are unread, none counted twice.
    expect(store.chats.value.get(conversationId)!.unread).toBe(6);
  });

  it('logs out one session, or everywhere: the server closes the other sessions and their consoles return to login', async () => {
    server = await startTestServer({ agents: 2, config: { rates: generousRates } });
    const [first, second] = server.agents as [TestAgent, TestAgent];
    const elsewhere = hubAt(server.url);
    const elsewhereStore = await loggedIn(elsewhere, first);
    const phone = hubAt(server.url);
    const phoneStore = await loggedIn(phone, first);
    // Two tabs of one browser share the saved session and a tab channel.
    const storage = new Map<string, string>();
    const browserStorage: StorageLike = {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => void storage.set(key, value),
      removeItem: (key) => void storage.delete(key),
    };
    const channelName = `parley-hub-test-${Math.random().toString(36).slice(2)}`;
    const tabOne = hubAt(server.url, {
      storage: browserStorage,
      tabs: track(openTabChannel(channelName, BroadcastChannel)),
    });
    const tabTwo = hubAt(server.url, {
      storage: browserStorage,
      tabs: track(openTabChannel(channelName, BroadcastChannel)),
    });
    const tabOneStore = await loggedIn(tabOne, first);
    await waitFor('the second tab to follow the login', () => tabTwo.view.value.page === 'console');
    const tabTwoStore = storeOf(tabTwo);
    await waitFor('the second tab connected', () => tabTwoStore.connection.value === 'open');

    // A chat of the first agent, to check nothing of it survives into the next login.
    const ana = await visitor();
    const { conversationId } = await ana.client.send({ body: 'Private question' });
    await waitFor('the chat in every console of the agent', () =>
      [elsewhereStore, phoneStore, tabOneStore, tabTwoStore].every((store) => store.chats.value.has(conversationId)),
    );

    // "Log out" ends this session only.
    await phone.logout();
    expect(phone.view.value).toEqual({ page: 'login', notice: { tone: 'info', text: 'You logged out.' } });
    expect(phoneStore.connection.value).toBe('closed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(elsewhereStore.connection.value).toBe('open');
    expect(tabOneStore.connection.value).toBe('open');

    // "Log out everywhere" from one tab: the other tab follows at once over the tab channel, and
    // the server closes the sockets of every other session.
    const ended = nextEnd(elsewhereStore);
    await tabOne.logout({ everywhere: true });
    expect(tabOne.view.value).toEqual({
      page: 'login',
      notice: { tone: 'info', text: 'You logged out on all your devices.' },
    });
    await ended;
    expect(elsewhereStore.ended.value).toMatchObject({ reason: 'logout', code: 4409 });
    expect(elsewhere.view.value).toEqual({
      page: 'login',
      notice: { tone: 'info', text: 'You were logged out from another window or device.' },
    });
    await waitFor('the other tab at the login page', () => tabTwo.view.value.page === 'login');
    const tabTwoView = tabTwo.view.value as Extract<typeof tabTwo.view.value, { page: 'login' }>;
    // The tab message is posted before the logout request, so it normally wins the race.
    expect(['You logged out in another tab.', 'You were logged out from another window or device.']).toContain(
      tabTwoView.notice?.text,
    );
    for (const store of [elsewhereStore, tabOneStore, tabTwoStore]) expect(store.connection.value).toBe('closed');
    expect(storage.size).toBe(0);
    const sessions = await server.server.store.db
      .selectFrom('agent_sessions')
      .select('ended_at')
      .where('agent_id', '=', first.id)
      .execute();
    expect(sessions.every((session) => session.ended_at !== null)).toBe(true);

    // The next login on that console is another agent's and starts from nothing.
    const nextStore = await loggedIn(elsewhere, second);
    expect(nextStore).not.toBe(elsewhereStore);
    expect(nextStore.self.id).toBe(second.id);
    expect(nextStore.chats.value.size).toBe(0);
    expect(nextStore.outgoing.value).toEqual([]);
    expect(nextStore.view.value).toEqual({ kind: 'home' });
  });
});

function track(channel: TabChannel): TabChannel {
  cleanups.push(() => channel.close());
  return channel;
}

function nextEnd(store: ConsoleStore): Promise<void> {
  return new Promise((resolve) => {
    const stop = store.ended.subscribe((end) => {
      if (!end) return;
      queueMicrotask(() => stop());
      resolve();
    });
  });
}
