/**
 * What the SDK tells the server about the visitor, against the real server: identity (verified by
 * the site's HMAC or not), custom data, the page as single-page apps navigate, the throttled
 * sneak-peek draft; and proactive messages following the page's path.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import { waitFor } from '../server/harness.js';
import { pageOrigin } from './support/dom.js';
import { openTab, pause, setWidgetSettings, storedKeys, liveWorld } from './support/world.js';

describe('visitor details', () => {
  const world = liveWorld('/');
  const { tabs } = world;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const open = () => {
    const tab = openTab({ server: world.server.url, widgetId: world.server.widgetId });
    tabs.push(tab);
    return tab;
  };
  const visitorRow = () =>
    world.server.server.store.db
      .selectFrom('visitors')
      .selectAll()
      .where('widget_id', '=', world.server.widgetId)
      .executeTakeFirstOrThrow();

  it('sends identity, custom data and the page once connected, and follows history navigation', async () => {
    const tab = open();
    // Before any session exists: remembered, sent once the visitor chats.
    await tab.chat.identify({ email: 'ada@example.com', name: 'Ada', userId: 'u-1', plan: 'pro' });
    await tab.chat.setCustomData({ cart: 3 });
    await tab.chat.sendMessage('Hi');
    await waitFor('the visitor details', async () => (await visitorRow()).email === 'ada@example.com');
    await waitFor('the page', async () => (await visitorRow()).page !== null);
    const row = await visitorRow();
    expect(row).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      user_id: 'u-1',
      verified: 0,
      page: `${pageOrigin}/`,
    });
    expect(JSON.parse(row.custom)).toEqual({ plan: 'pro', cart: 3 });
    expect(row.language).toEqual(expect.any(String));
    expect(row.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);

    history.pushState({}, '', '/checkout');
    await waitFor('the new page', async () => (await visitorRow()).page === `${pageOrigin}/checkout`);
    history.back();
    await waitFor('back to the first page', async () => (await visitorRow()).page === `${pageOrigin}/`);

    // Custom data changes reach the server while connected.
    await tab.chat.setCustomData({ cart: 4 });
    expect(JSON.parse((await visitorRow()).custom)).toEqual({ plan: 'pro', cart: 4 });
  });

  it('names the visitor in the chat their first message starts, when identify came first', async () => {
    const started: ServerFrameOf<'conversation.started'>[] = [];
    world.agent.on('sequenced', (frame) => {
      if (frame.type === 'conversation.started') started.push(frame);
    });
    const tab = open();
    await tab.chat.identify({ email: 'ada@example.com', name: 'Ada' });
    const sent = await tab.chat.sendMessage('Hi, it is Ada');
    await waitFor('the chat to reach the agent', () =>
      started.some((frame) => frame.conversationId === sent.conversationId),
    );
    expect(started.find((frame) => frame.conversationId === sent.conversationId)?.visitor).toMatchObject({
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  it('verifies an identity with the HMAC from the site backend, and refuses a forged one with a coded error', async () => {
    const tab = open();
    await tab.chat.sendMessage('Hello');
    const { secret } = await world.server.server.store.db
      .selectFrom('widgets')
      .select('secret')
      .where('id', '=', world.server.widgetId)
      .executeTakeFirstOrThrow();
    const hmac = createHmac('sha256', secret).update('user-42').digest('hex');
    await tab.chat.identify({ userId: 'user-42', email: 'grace@example.com' }, hmac);
    expect(await visitorRow()).toMatchObject({ user_id: 'user-42', verified: 1 });

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const forged = createHmac('sha256', 'not-the-secret').update('user-43').digest('hex');
    await expect(tab.chat.identify({ userId: 'user-43' }, forged)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('identify'));
    expect(await visitorRow()).toMatchObject({ user_id: 'user-42', verified: 1 });
  });

  it('streams the draft to the agent at most twice a second, and never stores it', async () => {
    const tab = open();
    const sent = await tab.chat.sendMessage('I have a question');
    await waitFor('an agent to join', () => tab.state().conversation?.status === 'active');
    const drafts: string[] = [];
    world.agent.on('typing', (frame: ServerFrameOf<'typing'>) => {
      if (frame.conversationId === sent.conversationId && frame.draft) drafts.push(frame.draft);
    });
    const text = 'Do you ship to Norway?';
    const started = Date.now();
    for (let length = 1; length <= text.length; length++) {
      tab.controller().draftChanged(text.slice(0, length));
      await pause(40);
    }
    const elapsed = Date.now() - started;
    await waitFor('the last draft', () => drafts.at(-1) === text);
    expect(drafts.length).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    expect(drafts.length).toBeGreaterThan(1);
    expect(storedKeys().some((key) => (localStorage.getItem(key) ?? '').includes('Norway'))).toBe(false);
  });

  it('shows a proactive message when a single-page app navigates to its path', async () => {
    await setWidgetSettings(world.server, {
      proactive: [{ message: 'Questions about pricing?', path: '/pricing', delayMs: 20 }],
    });
    const tab = open();
    await pause(200);
    expect(tab.state().messages).toEqual([]);
    history.pushState({}, '', '/pricing');
    await waitFor('the invitation', () =>
      tab.state().messages.some((message) => message.body === 'Questions about pricing?'),
    );
    expect(tab.state().messages[0]).toMatchObject({ proactive: true, author: { role: 'agent' } });
    expect(tab.chat.getUnreadCount()).toBe(1);
    // An invitation opens no session: the visitor has not chatted.
    expect(tab.requests.filter((request) => request.startsWith('POST'))).toEqual([]);
    tab.chat.open();
    expect(tab.chat.getUnreadCount()).toBe(0);
  });
});
