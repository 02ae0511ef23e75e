/**
 * Scenario 1: the snippet on a host page, a visitor in one browser and agents in the Hub in
 * others. Messages go both ways, the agent sees the visitor's draft (sneak peek), each side sees
 * the other typing, the chat is transferred to a second agent and ended, and the visitor's survey
 * score reaches the Hub.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import { saveScreenshot, useWorld, eventually } from './support/world.js';

describeInChromium('a visitor and agents chatting in Chromium', () => {
  const world = useWorld();

  it('chats both ways with sneak peek and typing, transfers, ends and gets the survey score', async () => {
    const { server, site } = await world.start({ agents: 0 });
    const ada = await server.addAgent({ name: 'Ada Agent' });
    const bo = await server.addAgent({ name: 'Bo Agent' });
    const adaHub = await world.hub(ada);

    const visitor = await world.visitor(
      site.serve('/', snippetPage({ server: server.url, widgetId: server.widgetId })),
    );
    await visitor.launcher.waitFor();
    expect(await visitor.launcher.textContent()).toContain('Chat with us');
    await visitor.openChat();

    // The visitor's draft reaches the agent before it is sent; the first message opens the chat.
    await visitor.send('Hello, I need help with my order');
    await adaHub.chatLinks.first().waitFor();
    await adaHub.openChat();
    await eventually(() => adaHub.timeline()).toEqual(['visitor: Hello, I need help with my order']);
    await visitor.composer.pressSequentially('It is order 4711', { delay: 20 });
    await adaHub.sneakPeek.getByText('It is order 4711').waitFor();
    await visitor.composer.press('Enter');
    await eventually(() => adaHub.timeline()).toEqual([
      'visitor: Hello, I need help with my order',
      'visitor: It is order 4711',
    ]);
    await adaHub.sneakPeek.waitFor({ state: 'detached' });

    // The agent typing shows in the chat box; the reply arrives.
    await adaHub.reply.pressSequentially('Let me look', { delay: 20 });
    await visitor.box.getByText('Ada Agent is typing').waitFor();
    await adaHub.reply.press('Enter');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello, I need help with my order',
      'visitor: It is order 4711',
      'agent: Let me look',
    ]);
    await visitor.box.getByText('Ada Agent is typing').waitFor({ state: 'detached' });
    expect(await visitor.box.locator('.head .title').textContent()).toBe('Ada Agent');
    await saveScreenshot(visitor.box, 'chat-box');

    // Transfer to Bo, who answers; the visitor sees the new agent.
    const boHub = await world.hub(bo);
    await adaHub.page.getByRole('button', { name: 'Transfer…' }).click();
    await adaHub.page.getByRole('radio', { name: 'Bo Agent' }).check();
    await adaHub.page.getByLabel('Note for the next agent (optional)').fill('Order 4711, asks about delivery');
    await adaHub.page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await adaHub.page.getByText('Bo Agent now has this chat.').waitFor();
    await boHub.chatLinks.first().waitFor();
    await boHub.openChat();
    await boHub.page.getByText('Note: Order 4711, asks about delivery').waitFor();
    await boHub.send('Hi, Bo here: it ships tomorrow');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello, I need help with my order',
      'visitor: It is order 4711',
      'agent: Let me look',
      'agent: Hi, Bo here: it ships tomorrow',
    ]);
    await visitor.box.locator('.head .title').getByText('Bo Agent').waitFor();
    await visitor.send('Thank you!');
    await eventually(() => boHub.timeline()).toEqual([
      'visitor: Hello, I need help with my order',
      'visitor: It is order 4711',
      'agent: Let me look',
      'agent: Hi, Bo here: it ships tomorrow',
      'visitor: Thank you!',
    ]);

    // Bo ends the chat; the visitor rates it and Bo sees the score.
    await boHub.page.getByRole('button', { name: 'End chat' }).click();
    await boHub.page.getByRole('alertdialog').getByRole('button', { name: 'End chat' }).click();
    await visitor.box.getByRole('group', { name: /How was this chat/ }).waitFor();
    await visitor.box.getByRole('radio', { name: '4' }).check();
    await visitor.box.getByLabel('Comment (optional)').fill('Quick and friendly');
    await visitor.box.getByRole('button', { name: 'Send feedback' }).click();
    await visitor.box.getByText('Thanks for your feedback!').first().waitFor();
    await boHub.page.getByText('Rated 4/5').waitFor();
    expect(await boHub.events()).toContain('Visitor rated the chat 4 out of 5: “Quick and friendly”');
    await saveScreenshot(boHub.page, 'hub');
  });
});
