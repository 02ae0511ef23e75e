/**
 * Scenario 6: the page cannot open the WebSocket (blocked in Chromium's network stack, as a
 * strict proxy or firewall does), and the chat still works over the HTTP fallback: server-sent
 * events down, POST up.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import { useWorld, eventually } from './support/world.js';

describeInChromium('a blocked WebSocket in Chromium', () => {
  const world = useWorld();

  it('carries the chat over the HTTP fallback', async () => {
    const { server, site } = await world.start();
    const agent = await world.scriptedAgent();
    const blockedSockets: string[] = [];
    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
      // Every socket to the server fails before it opens, as behind a proxy that refuses upgrades.
      (page) =>
        page.routeWebSocket(/\/v1\/ws/, (socket) => {
          blockedSockets.push(socket.url());
          return socket.close({ code: 1006, reason: 'blocked' });
        }),
    );
    await visitor.openChat();
    await visitor.send('Hello through the fallback');
    const conversationId = await agent.received('Hello through the fallback');
    await agent.reply(conversationId, 'Heard you over SSE');
    await visitor.send('And a second one up by POST');
    await agent.received('And a second one up by POST');
    await agent.reply(conversationId, 'Both arrived');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello through the fallback',
      'agent: Heard you over SSE',
      'visitor: And a second one up by POST',
      'agent: Both arrived',
    ]);
    expect(agent.messages()).toEqual([
      'Hello through the fallback',
      'Heard you over SSE',
      'And a second one up by POST',
      'Both arrived',
    ]);

    // The page tried the socket, which never opened, and then used the fallback's two endpoints.
    expect(blockedSockets.length).toBeGreaterThan(0);
    expect(visitor.requestsTo(/^\/v1\/ws$/)).toEqual([]);
    expect(visitor.requestsTo(/^\/v1\/stream$/).length).toBeGreaterThan(0);
    expect(visitor.requestsTo(/^\/v1\/frames$/).length).toBeGreaterThan(0);
    expect(await visitor.box.getByText('Connection lost').count()).toBe(0);
  });
});
