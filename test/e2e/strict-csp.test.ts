/**
 * Scenario 8: a page whose CSP allows no inline script or style and no eval
 * (`default-src 'self'; script-src 'self'; style-src 'self'`, plus the Parley server where the
 * widget needs it). The widget loads from `/snippet.js`, chats, ends and takes the survey with zero
 * `securitypolicyviolation` events and no CSP error in the console.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import { useWorld, eventually } from './support/world.js';

/** The site's own script: records every CSP violation on the page, shadow roots included (the event is composed). */
const violationRecorder = `window.__violations = [];
// Whether the snippet's bubble was painted (the launcher replaces it a moment later), and in which colour.
new MutationObserver((records, observer) => {
  for (const record of records) for (const node of record.addedNodes) if (node.nodeName === 'PARLEY-BUBBLE') {
    observer.disconnect();
    requestAnimationFrame(() => (window.__bubble = getComputedStyle(node).backgroundColor));
  }
}).observe(document, { childList: true, subtree: true });
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
}, true);`;

describeInChromium('a strict CSP page in Chromium', () => {
  const world = useWorld();

  it('runs the widget with zero CSP violations', async () => {
    const { server, site } = await world.start();
    const agent = await world.scriptedAgent();
    const socketOrigin = server.url.replace(/^http/, 'ws');
    const csp = [
      "default-src 'self'",
      `script-src 'self' ${server.url}`,
      "style-src 'self'",
      `connect-src 'self' ${server.url} ${socketOrigin}`,
    ].join('; ');
    site.serve('/recorder.js', violationRecorder);
    const url = site.serve(
      '/',
      snippetPage({
        server: server.url,
        widgetId: server.widgetId,
        title: 'Strict CSP shop',
        head: '<script src="/recorder.js"></script>',
        snippet: 'src',
      }),
      { 'content-security-policy': csp },
    );
    const consoleErrors: string[] = [];
    const visitor = await world.visitor(url, (page) =>
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      }),
    );
    const violations = () =>
      visitor.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

    await visitor.openChat();
    await visitor.send('Hello from a strict page');
    const conversationId = await agent.received('Hello from a strict page');
    agent.client.typing({ conversationId, typing: true });
    await visitor.box.getByText('is typing').waitFor();
    await agent.reply(conversationId, 'Styles and scripts all allowed by your CSP');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello from a strict page',
      'agent: Styles and scripts all allowed by your CSP',
    ]);
    // More of the box: the input menu's call-me form, then ending the chat and the survey.
    await visitor.box.getByRole('button', { name: 'More options' }).click();
    await visitor.box.getByRole('menuitem', { name: 'Call me' }).click();
    await visitor.box.getByLabel('Your phone number').fill('+49 30 1234567');
    await visitor.box.getByRole('button', { name: 'Call me' }).click();
    await visitor.box.getByText('Thanks! We will call you at +49 30 1234567.').waitFor();
    await visitor.box.getByRole('button', { name: 'End chat' }).click();
    await visitor.box.getByRole('button', { name: 'Yes, end chat' }).click();
    await visitor.box.getByRole('radio', { name: '5' }).check();
    await visitor.box.getByRole('button', { name: 'Send feedback' }).click();
    await visitor.box.getByText('Thanks for your feedback!').first().waitFor();

    expect(await violations()).toEqual([]);
    // The bubble, styled through the CSSOM, was drawn with its styles under this policy.
    expect(await visitor.page.evaluate(() => (window as unknown as { __bubble?: string }).__bubble)).toBe(
      'rgb(29, 78, 216)',
    );
    expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    // The recorder does catch a violation: an inline style attribute set by the page itself.
    await visitor.page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
    await eventually(violations).toEqual([expect.stringMatching(/^style-src-attr blocked inline/)]);
  });
});
