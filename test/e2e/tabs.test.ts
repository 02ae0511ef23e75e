/**
 * Scenario 7: one visitor with two tabs of the site. Both show the one conversation, whichever tab
 * wrote, and the unread count (the launcher's badge and `getUnreadCount()`) is the same in both,
 * also after the visitor reads the messages in one of them.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import type { VisitorPage } from './support/visitor-page.js';
import { useWorld, eventually } from './support/world.js';

/** What a tab shows as unread: its badge (empty when hidden) and the API's count. */
async function unread(tab: VisitorPage): Promise<{ badge: string; api: number }> {
  const badge = tab.launcher.locator('.badge');
  return {
    badge: (await badge.isVisible()) ? ((await badge.textContent()) ?? '') : '',
    api: await tab.call<number>('getUnreadCount'),
  };
}

describeInChromium('two tabs in Chromium', () => {
  const world = useWorld();

  it('shows one conversation in both tabs with a consistent unread count', async () => {
    const { server, site } = await world.start();
    const agent = await world.scriptedAgent();
    const page = (title: string) => snippetPage({ server: server.url, widgetId: server.widgetId, title });
    const home = await world.visitor(site.serve('/', page('Home')));
    const pricing = await world.tab(home, site.serve('/pricing', page('Pricing')));
    await home.launcher.waitFor();
    await pricing.launcher.waitFor();

    await home.openChat();
    await home.send('Hi from the home tab');
    const conversationId = await agent.received('Hi from the home tab');
    await home.box.getByRole('button', { name: 'Minimize chat' }).click();
    await agent.reply(conversationId, 'Reply one');
    await agent.reply(conversationId, 'Reply two');
    for (const tab of [home, pricing]) await eventually(() => unread(tab)).toEqual({ badge: '2', api: 2 });

    // Reading in one tab reads in both.
    await pricing.openChat();
    const transcript = ['visitor: Hi from the home tab', 'agent: Reply one', 'agent: Reply two'];
    await eventually(() => pricing.transcript()).toEqual(transcript);
    for (const tab of [home, pricing]) await eventually(() => unread(tab)).toEqual({ badge: '', api: 0 });

    // The second tab writes into the same conversation, and the first shows it too.
    await pricing.send('And hello from pricing');
    expect(await agent.received('And hello from pricing')).toBe(conversationId);
    await home.openChat();
    await eventually(() => home.transcript()).toEqual([...transcript, 'visitor: And hello from pricing']);
    await eventually(() => pricing.transcript()).toEqual(await home.transcript());
  });
});
