/**
 * Scenario 3: after a chat, `Parley('clearAll')` leaves no cookie and no storage key in Chromium,
 * resets the chat box, and the server refuses the token the widget had.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import { useWorld, eventually } from './support/world.js';

/** A ping over the HTTP fallback's upstream, authorised by `token`: the server's verdict on it. */
async function tokenStatus(serverUrl: string, widgetId: string, token: string): Promise<number> {
  const response = await fetch(`${serverUrl}/v1/frames?widget=${widgetId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ frames: [{ type: 'ping', t: Date.now() }] }),
  });
  return response.status;
}

describeInChromium('clearAll in Chromium', () => {
  const world = useWorld();

  it('leaves zero keys, resets the box, and the old token is refused', async () => {
    const { server, site } = await world.start();
    const agent = await world.scriptedAgent();
    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
    );
    await visitor.openChat();
    await visitor.send('Please forget me afterwards');
    const conversationId = await agent.received('Please forget me afterwards');
    await agent.reply(conversationId, 'Sure');
    await eventually(() => visitor.transcript()).toEqual(['visitor: Please forget me afterwards', 'agent: Sure']);

    const stored = await visitor.page.evaluate(
      (widgetId) => localStorage.getItem(`parley:${widgetId}:session`),
      server.widgetId,
    );
    const token = (JSON.parse(stored ?? '{}') as { token?: string }).token;
    expect(token).toEqual(expect.any(String));
    expect(await tokenStatus(server.url, server.widgetId, token!)).toBe(200);

    await visitor.call('clearAll');
    expect(await visitor.storage()).toEqual({ cookies: [], localStorage: [], sessionStorage: [] });
    expect(visitor.requestsTo(/^\/v1\/visitor\/session$/)).toHaveLength(1);
    expect(await tokenStatus(server.url, server.widgetId, token!)).toBe(401);
    // The UI forgot the conversation: the box is closed, and reopened it greets a new visitor.
    await visitor.box.waitFor({ state: 'hidden' });
    await visitor.openChat();
    await visitor.box.getByText('Hi! How can we help you today?').waitFor();
    expect(await visitor.transcript()).toEqual([]);
    // Opening the box wrote only its own open state, under the widget's prefix.
    expect((await visitor.storage()).localStorage).toEqual([`parley:${server.widgetId}:open`]);
  });
});
