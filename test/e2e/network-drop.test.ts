/**
 * Scenario 4: the network drops in the middle of a conversation (`context.setOffline`), first the
 * visitor's and then the agent's, while both sides keep writing. Back online, every message
 * appears exactly once and in the same order on both sides.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import type { HubPage } from './support/hub-page.js';
import { snippetPage } from './support/site.js';
import type { VisitorPage } from './support/visitor-page.js';
import { useWorld, eventually } from './support/world.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeInChromium('network drops in Chromium', () => {
  const world = useWorld();

  /** A visitor and an agent in the Hub with one exchange behind them. */
  async function chatting(): Promise<{ visitor: VisitorPage; hub: HubPage }> {
    const { server, site } = await world.start();
    const hub = await world.hub(server.agents[0]!);
    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
    );
    await visitor.openChat();
    await visitor.send('v1');
    await hub.chatLinks.first().waitFor();
    await hub.openChat();
    await hub.send('a1');
    await eventually(() => visitor.transcript()).toEqual(['visitor: v1', 'agent: a1']);
    return { visitor, hub };
  }

  /** Both sides end with the same lines, each once, in the server's order. */
  async function expectSameTranscript(visitor: VisitorPage, hub: HubPage, expected: string[]): Promise<void> {
    await eventually(() => visitor.transcript(), 20_000).toEqual(expected);
    await eventually(() => hub.timeline(), 20_000).toEqual(expected);
  }

  it("keeps every message once and in order across the visitor's network drop", async () => {
    const { visitor, hub } = await chatting();
    await visitor.context.setOffline(true);
    await visitor.box.getByText('Connection lost. Reconnecting…').waitFor();
    await visitor.send('v2 written offline');
    await hub.send('a2 while the visitor is away');
    await visitor.send('v3 written offline');
    await hub.send('a3 still away');
    await settle(1000);
    // Nothing crossed while the visitor was offline.
    expect(await hub.timeline()).toEqual([
      'visitor: v1',
      'agent: a1',
      'agent: a2 while the visitor is away',
      'agent: a3 still away',
    ]);
    expect(await visitor.transcript()).toEqual([
      'visitor: v1',
      'agent: a1',
      'visitor: v2 written offline (pending)',
      'visitor: v3 written offline (pending)',
    ]);

    await visitor.context.setOffline(false);
    await expectSameTranscript(visitor, hub, [
      'visitor: v1',
      'agent: a1',
      'agent: a2 while the visitor is away',
      'agent: a3 still away',
      'visitor: v2 written offline',
      'visitor: v3 written offline',
    ]);
    await visitor.send('v4 back online');
    await hub.send('a4 welcome back');
    await eventually(() => hub.timeline()).toContain('agent: a4 welcome back');
    await eventually(() => visitor.transcript()).toContain('agent: a4 welcome back');
    expect(await visitor.transcript()).toEqual(await hub.timeline());
  });

  it("keeps every message once and in order across the agent's network drop", async () => {
    const { visitor, hub } = await chatting();
    await hub.context.setOffline(true);
    await hub.page.getByText('Reconnecting… Replies you send now go out').waitFor();
    await hub.send('a2 written offline');
    await visitor.send('v2 while the agent is away');
    await hub.send('a3 written offline');
    await visitor.send('v3 still away');
    await settle(1000);
    expect(await visitor.transcript()).toEqual([
      'visitor: v1',
      'agent: a1',
      'visitor: v2 while the agent is away',
      'visitor: v3 still away',
    ]);
    expect(await hub.timeline()).toEqual([
      'visitor: v1',
      'agent: a1',
      'agent: a2 written offline (pending)',
      'agent: a3 written offline (pending)',
    ]);

    await hub.context.setOffline(false);
    await expectSameTranscript(visitor, hub, [
      'visitor: v1',
      'agent: a1',
      'visitor: v2 while the agent is away',
      'visitor: v3 still away',
      'agent: a2 written offline',
      'agent: a3 written offline',
    ]);
  });
});
