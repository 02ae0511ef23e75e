/**
 * Scenario 2: a page that requires consent (`setDefaultImplicitConsent(false)` right after the
 * snippet). Before consent Chromium holds no cookie and no storage key and the page made no
 * request to a session or socket endpoint, while the launcher still invites a chat. Consent from
 * the page's own banner, or the visitor's "Start chat" click in the box, makes the chat work and
 * shows the proactive message that was waiting.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import type { VisitorPage } from './support/visitor-page.js';
import { useWorld, type ScriptedAgent, eventually } from './support/world.js';

/** Endpoints that create or use a visitor session: none may be touched before consent. */
const identifyingEndpoints = /^\/v1\/(widgets\/[^/]+\/sessions|ws|stream|frames|visitor\/)/;
const invitation = 'Hi! Questions about your order? Ask us here.';
const invitationDelayMs = 300;

const consentPage = (server: string, widgetId: string) =>
  snippetPage({
    server,
    widgetId,
    title: 'Shop with a consent banner',
    afterSnippet: `<script>Parley('setDefaultImplicitConsent', false);</script>`,
    body: `<section aria-label="Cookie consent"><p>May we store a chat session?</p>
      <button type="button" id="accept">Accept</button></section>
      <script>document.getElementById('accept').addEventListener('click', () => Parley('consent', 'grant'));</script>`,
  });

/** Everything the scenario requires of the page before consent. */
async function expectNothingBeforeConsent(visitor: VisitorPage): Promise<void> {
  expect(await visitor.storage()).toEqual({ cookies: [], localStorage: [], sessionStorage: [] });
  expect(visitor.requestsTo(identifyingEndpoints)).toEqual([]);
  expect(await visitor.call('getConsent')).toBe('pending');
  const label = (await visitor.launcher.textContent()) ?? '';
  expect(label).toContain('Chat with us');
  expect(label.toLowerCase()).not.toContain('closed');
}

/** After consent: the waiting invitation shows, and a message and its answer go through. */
async function expectChatWorks(visitor: VisitorPage, agent: ScriptedAgent): Promise<void> {
  await eventually(() => visitor.transcript()).toEqual([`team: ${invitation}`]);
  await visitor.send('Do you ship to Norway?');
  const conversationId = await agent.received('Do you ship to Norway?');
  await agent.reply(conversationId, 'Yes, in 3 days.');
  await eventually(() => visitor.transcript()).toEqual([
    `team: ${invitation}`,
    'visitor: Do you ship to Norway?',
    'agent: Yes, in 3 days.',
  ]);
  // The request log sees the session and the socket now that they are allowed.
  expect(visitor.requestsTo(/\/sessions$/)).toHaveLength(1);
  expect(visitor.requestsTo(/^\/v1\/ws$/).length).toBeGreaterThan(0);
  // Everything the widget keeps is under its one prefix, and there are still no cookies.
  const storage = await visitor.storage();
  expect(storage.cookies).toEqual([]);
  expect(storage.sessionStorage).toEqual([]);
  expect(storage.localStorage.length).toBeGreaterThan(0);
  for (const key of storage.localStorage) expect(key).toMatch(/^parley:/);
}

describeInChromium('consent required in Chromium', () => {
  const world = useWorld();
  const settings = { proactive: [{ message: invitation, delayMs: invitationDelayMs }] };

  it("stores and connects nothing before consent, then chats once the page's banner grants it", async () => {
    const { server, site } = await world.start({ settings });
    const agent = await world.scriptedAgent();
    const visitor = await world.visitor(site.serve('/', consentPage(server.url, server.widgetId)));
    await visitor.launcher.waitFor();
    // Interest in the launcher (it preloads the chat) and time past the invitation's delay change nothing.
    await visitor.launcher.hover();
    await visitor.page.waitForTimeout(invitationDelayMs * 3);
    await expectNothingBeforeConsent(visitor);
    expect(await visitor.call('getUnreadCount')).toBe(0);

    await visitor.page.getByRole('button', { name: 'Accept' }).click();
    await eventually(() => visitor.call('getConsent')).toBe('granted');
    // The invitation was waiting for consent: it arrives now, unread while the box is closed.
    await visitor.launcher.locator('.badge', { hasText: '1' }).waitFor();
    await visitor.openChat();
    await expectChatWorks(visitor, agent);
  });

  it('takes the "Start chat" click in the box as consent', async () => {
    const { server, site } = await world.start({ settings });
    const agent = await world.scriptedAgent();
    const visitor = await world.visitor(site.serve('/', consentPage(server.url, server.widgetId)));
    await visitor.openChat();
    await visitor.box.getByText('When you start the chat').waitFor();
    await visitor.page.waitForTimeout(invitationDelayMs * 3);
    await expectNothingBeforeConsent(visitor);

    await visitor.box.getByRole('button', { name: 'Start chat' }).click();
    expect(await visitor.call('getConsent')).toBe('granted');
    await expectChatWorks(visitor, agent);
  });
});
