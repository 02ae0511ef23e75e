/**
 * Scenario 10: axe-core, injected into the page, finds no violation in the launcher, the open chat
 * box, the consent notice, the offline form and the Hub; and a visitor can complete a chat with
 * the keyboard alone (an agent answering from the Hub by keyboard too).
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { axeViolations, focused, pressUntilFocused } from './support/keyboard.js';
import { snippetPage } from './support/site.js';
import { useWorld, eventually } from './support/world.js';

describeInChromium('accessibility in Chromium', () => {
  const world = useWorld();

  it('finds no axe violation in the launcher, the chat box, the consent notice and the offline form', async () => {
    const { server, site } = await world.start();
    const agent = await world.scriptedAgent();
    const page = (data: Record<string, string> = {}) =>
      snippetPage({ server: server.url, widgetId: server.widgetId, title: 'Accessible shop', data });

    const visitor = await world.visitor(site.serve('/', page()));
    await visitor.launcher.waitFor();
    expect(await axeViolations(visitor.page), 'the launcher').toEqual([]);
    await visitor.openChat();
    expect(await axeViolations(visitor.page), 'the empty chat box').toEqual([]);
    await visitor.send('Is this page accessible?');
    const conversationId = await agent.received('Is this page accessible?');
    await agent.reply(conversationId, 'We test it with axe-core: https://example.com/a11y');
    await visitor.box.locator('.msg', { hasText: 'We test it with axe-core' }).waitFor();
    agent.client.typing({ conversationId, typing: true });
    await visitor.box.getByText('is typing').waitFor();
    expect(await axeViolations(visitor.page), 'the chat box with messages and typing').toEqual([]);

    const pending = await world.visitor(site.serve('/consent', page({ consent: 'required' })));
    await pending.openChat();
    await pending.box.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await axeViolations(pending.page), 'the consent notice').toEqual([]);

    await agent.client.request({ type: 'agent.status', status: 'paused' });
    const offline = await world.visitor(site.serve('/contact', page()));
    await offline.launcher.getByText('Leave a message').waitFor();
    await offline.openChat();
    await offline.box.getByLabel('Email').waitFor();
    expect(await axeViolations(offline.page), 'the offline form').toEqual([]);
    // Sent empty, the form marks its fields and says what is wrong.
    await offline.box.getByRole('button', { name: 'Send message' }).click();
    await offline.box.getByText('Please enter a valid email address.').waitFor();
    expect(await axeViolations(offline.page), 'the offline form with errors').toEqual([]);

    // The check sees into the widget's shadow root: a button without a name there is reported.
    await offline.page.evaluate(() =>
      document.querySelector('parley-widget')!.shadowRoot!.append(document.createElement('button')),
    );
    expect(await axeViolations(offline.page)).toEqual([expect.stringMatching(/^button-name: \[\["parley-widget",/)]);
  });

  it('finds no axe violation in the Hub', async () => {
    const { server, site } = await world.start();
    const agent = server.agents[0]!;
    const login = await world.browser().then((browser) => browser.newPage());
    world.defer(() => login.close());
    await login.goto(`${server.url}/hub`);
    await login.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await axeViolations(login), 'the login page').toEqual([]);

    const hub = await world.hub(agent);
    expect(await axeViolations(hub.page), 'the empty console').toEqual([]);
    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
    );
    await visitor.openChat();
    await visitor.send('Hello agent');
    await hub.openChat();
    await visitor.composer.pressSequentially('A draft', { delay: 20 });
    await hub.sneakPeek.getByText('A draft').waitFor();
    await hub.send('Hello visitor');
    await hub.page.locator('.timeline').getByText('Hello visitor').waitFor();
    expect(await axeViolations(hub.page), 'a chat with the sneak peek and details').toEqual([]);
    await hub.page.getByRole('button', { name: 'End chat' }).click();
    await hub.page.getByRole('alertdialog').waitFor();
    expect(await axeViolations(hub.page), 'the end-chat dialog').toEqual([]);
  });

  it('completes a chat by keyboard alone', async () => {
    const { server, site } = await world.start();
    const hub = await world.hub(server.agents[0]!);
    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
    );
    const keys = visitor.page.keyboard;
    await visitor.launcher.waitFor();

    // From the top of the page, Tab reaches the launcher; Enter opens the box with focus in the composer.
    await pressUntilFocused(visitor.page, 'Tab', /^button "Chat with us/);
    await keys.press('Enter');
    await visitor.box.waitFor();
    await eventually(() => focused(visitor.page)).toBe('textarea "Message"');
    await keys.type('Hello, typed with the keyboard');
    await keys.press('Enter');

    // The agent answers by keyboard as well: Alt+J opens the next chat with the reply box focused.
    await hub.chatLinks.first().waitFor();
    await hub.page.keyboard.press('Alt+J');
    await hub.chatTitle.waitFor();
    await eventually(() => focused(hub.page)).toMatch(/^textarea/);
    await hub.page.keyboard.type('Hi! Answered by keyboard');
    await hub.page.keyboard.press('Enter');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello, typed with the keyboard',
      'agent: Hi! Answered by keyboard',
    ]);

    // The visitor ends the chat: back to "End chat", Enter, then Enter on the confirm button.
    await pressUntilFocused(visitor.page, 'Shift+Tab', /^button "End chat"/);
    await keys.press('Enter');
    await eventually(() => focused(visitor.page)).toBe('button "Yes, end chat"');
    await keys.press('Enter');
    // The survey: arrow keys pick the score, Tab to the comment and the submit button.
    await visitor.box.getByRole('group', { name: /How was this chat/ }).waitFor();
    await eventually(() => focused(visitor.page)).toMatch(/^input "1/);
    await keys.press('ArrowRight');
    await keys.press('ArrowRight');
    await keys.press('ArrowRight');
    await pressUntilFocused(visitor.page, 'Tab', /^textarea/);
    await keys.type('Easy without a mouse');
    await pressUntilFocused(visitor.page, 'Tab', /^button "Send feedback"/);
    await keys.press('Enter');
    await visitor.box.getByText('Thanks for your feedback!').first().waitFor();
    await hub.page.getByText('Visitor rated the chat 4 out of 5: “Easy without a mouse”').waitFor();

    // Escape closes the box and hands focus back to the launcher.
    await keys.press('Escape');
    await visitor.box.waitFor({ state: 'hidden' });
    expect(await focused(visitor.page)).toMatch(/^button "Chat with us/);
  });
});
