/**
 * clearAll against the real server: every key the widget wrote is gone, the UI is reset, and the
 * server refuses the old token, which a copy of it (a pentest's favourite) can no longer use.
 */
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { closeCodes } from '../../src/protocol/index.js';
import { createClient, type CloseInfo } from '../../src/transport/index.js';
import { waitFor } from '../server/harness.js';
import { openTab, pause, storedKeys, liveWorld } from './support/world.js';

describe('clearAll', () => {
  const world = liveWorld('/account');
  const { tabs } = world;

  it('leaves zero keys, resets the UI, and the server rejects the old token', async () => {
    const tab = openTab({ server: world.server.url, widgetId: world.server.widgetId });
    tabs.push(tab);
    tab.chat.open();
    const sent = await tab.chat.sendMessage('Please forget me afterwards');
    await waitFor('an agent to join', () => tab.state().conversation?.status === 'active');
    await world.agent.send({ conversationId: sent.conversationId, body: 'Sure' });
    await waitFor('the reply', () => tab.state().messages.length === 2);
    tab.chat.close();
    await world.agent.send({ conversationId: sent.conversationId, body: 'Anything else?' });
    await waitFor('an unread reply', () => tab.chat.getUnreadCount() === 1);
    const prefix = `parley:${world.server.widgetId}:`;
    const keys = storedKeys();
    expect(keys).toEqual(expect.arrayContaining([`${prefix}session`, `${prefix}unread`]));
    expect(keys.every((key) => key.startsWith(prefix))).toBe(true);
    const oldToken = (JSON.parse(localStorage.getItem(`${prefix}session`)!) as { token: string }).token;

    await tab.chat.clearAll();

    expect(storedKeys()).toEqual([]);
    expect(storedKeys(sessionStorage)).toEqual([]);
    expect(document.cookie).toBe('');
    expect(tab.chat.getUnreadCount()).toBe(0);
    expect(tab.state()).toMatchObject({ open: false, messages: [], connection: 'idle' });
    expect(tab.state().conversation).toBeUndefined();
    expect(tab.requests).toContain(`DELETE /v1/visitor/session`);

    // The old token is dead: over HTTP ...
    const again = await fetch(`${world.server.url}/v1/visitor/session?widget=${world.server.widgetId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${oldToken}` },
    });
    expect(again.status).toBe(401);
    // ... and on the socket.
    const stolen = createClient({
      url: world.server.url,
      role: 'visitor',
      token: oldToken,
      widgetId: world.server.widgetId,
      WebSocket,
    });
    const closed = new Promise<CloseInfo>((resolve) => stolen.on('closed', (info) => info.final && resolve(info)));
    await expect(stolen.connect()).rejects.toThrow();
    expect((await closed).code).toBe(closeCodes.unauthorized);

    // Nothing is written back after the clear, and the next chat is a new visitor.
    await pause(300);
    expect(storedKeys()).toEqual([]);
    const next = await tab.chat.sendMessage('Hello again');
    expect(next.conversationId).not.toBe(sent.conversationId);
    const newToken = (JSON.parse(localStorage.getItem(`${prefix}session`)!) as { token: string }).token;
    expect(newToken).not.toBe(oldToken);
  });

  it('ends a stored session even while consent is pending on a later page', async () => {
    const earlier = openTab({ server: world.server.url, widgetId: world.server.widgetId });
    await earlier.chat.sendMessage('Chatting before the site asked for consent');
    const prefix = `parley:${world.server.widgetId}:`;
    const oldToken = (JSON.parse(localStorage.getItem(`${prefix}session`)!) as { token: string }).token;
    earlier.chat.destroy();

    // The next page requires consent: it neither connects nor reads the session into memory ...
    const later = openTab({ server: world.server.url, widgetId: world.server.widgetId, chat: { consent: 'required' } });
    tabs.push(later);
    await pause(200);
    expect(later.sockets).toEqual([]);
    // ... yet clearAll still ends that session and removes its keys.
    await later.chat.clearAll();
    expect(storedKeys()).toEqual([]);
    const again = await fetch(`${world.server.url}/v1/visitor/session?widget=${world.server.widgetId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${oldToken}` },
    });
    expect(again.status).toBe(401);
  });
});
