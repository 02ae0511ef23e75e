/**
 * Several tabs of one site against the real server: two SDK instances on one page share the
 * storage, the BroadcastChannel and a Web Locks manager, as two tabs of a browser share them.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../server/harness.js';
import { sharedLocks } from './support/locks.js';
import { openTab, pause, storedKeys, liveWorld } from './support/world.js';

describe('multi-tab', () => {
  const world = liveWorld('/');
  const { tabs } = world;

  const locks = sharedLocks();
  const open = (chat = {}, storage?: Storage) => {
    const tab = openTab({ server: world.server.url, widgetId: world.server.widgetId, locks, chat, storage });
    tabs.push(tab);
    return tab;
  };
  const total = (name: 'Live Chat Message Received' | 'Live Chat Message Sent' | 'Live Chat Conversation Started') =>
    tabs.reduce((sum, tab) => sum + tab.named(name).length, 0);

  it('shows one conversation in every tab, reports and notifies once, and keeps unread counts equal', async () => {
    const first = open();
    const second = open();
    await pause(100);
    const sent = await first.chat.sendMessage('Hello from the first tab');
    // The second tab hears of the new session and shows the same conversation.
    await waitFor('the second tab to show the message', () =>
      second.state().messages.some((message) => message.body === 'Hello from the first tab'),
    );
    await waitFor('an agent to join', () => second.state().conversation?.status === 'active');
    await pause(200);
    expect(total('Live Chat Conversation Started')).toBe(1);
    expect(total('Live Chat Message Sent')).toBe(1);

    await world.agent.send({ conversationId: sent.conversationId, body: 'Hi, both of you' });
    await waitFor('both tabs to show the reply', () =>
      tabs.every((tab) => tab.state().messages.some((message) => message.body === 'Hi, both of you')),
    );
    await pause(200);
    // Each page's own listeners hear what the page shows ...
    expect(first.named('messageReceived')).toHaveLength(1);
    expect(second.named('messageReceived')).toHaveLength(1);
    // ... but the analytics event and the sound happen once for the browser.
    expect(total('Live Chat Message Received')).toBe(1);
    expect(first.notifications + second.notifications).toBe(1);

    // Unread: the same count in both tabs; reading in one clears it in the other.
    expect(first.chat.getUnreadCount()).toBe(1);
    expect(second.chat.getUnreadCount()).toBe(1);
    second.chat.open();
    await waitFor('the first tab to see it read', () => first.chat.getUnreadCount() === 0);
    expect(second.chat.getUnreadCount()).toBe(0);
    expect(first.named('unreadCountChanged').map((event) => event.count)).toEqual([1, 0]);

    // The reporting tab closes: the other takes over, still once per message.
    const reporter = first.named('Live Chat Message Received').length === 1 ? first : second;
    const other = reporter === first ? second : first;
    reporter.chat.destroy();
    await pause(100);
    await world.agent.send({ conversationId: sent.conversationId, body: 'Still there?' });
    await waitFor('the remaining tab to report it', () => other.named('Live Chat Message Received').length === 1);
    await pause(200);
    expect(other.named('Live Chat Message Received')[0]!.message_body).toBe('Still there?');
    expect(reporter.named('Live Chat Message Received')).toHaveLength(1);
  });

  it('joins the session another tab started when its storage shows it, even after that tab said so', async () => {
    const first = open();
    // Chromium's tabs see each other's localStorage writes a moment late: here the second tab's
    // storage lags until the test copies the session over.
    sessionStorage.clear();
    const second = open({}, sessionStorage);
    await pause(100);
    await first.chat.sendMessage('Hello before the storage caught up');
    await pause(300);
    expect(second.sockets).toEqual([]);

    const key = storedKeys().find((name) => name.endsWith(':session'))!;
    sessionStorage.setItem(key, localStorage.getItem(key)!);
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: localStorage.getItem(key) }));
    await waitFor('the second tab to show the message', () =>
      second.state().messages.some((message) => message.body === 'Hello before the storage caught up'),
    );
    expect(first.sockets).toHaveLength(1);
  });

  it('keeps tabs independent once consent is denied', async () => {
    const first = open();
    await first.chat.consent('deny');
    await first.chat.sendMessage('Private question');
    expect(storedKeys()).toEqual([]);
    // A new tab shares nothing: no session to resume, no conversation.
    const second = open();
    await pause(300);
    await second.chat.consent('deny');
    expect(second.requests.filter((request) => request.startsWith('POST'))).toEqual([]);
    expect(second.sockets).toEqual([]);
    expect(second.state().messages).toEqual([]);
    expect(first.state().messages.map((message) => message.body)).toEqual(['Private question']);
    expect(storedKeys()).toEqual([]);
  });
});
