/**
 * Scenario 11: script payloads everywhere text from one side is shown to the other — message
 * bodies both ways, the visitor's name and custom data, the agent's name, the survey comment, the
 * offline form's name and message, and the host page's file name in the visitor's details. No
 * script runs (the `__xss` flag stays unset, no dialog opens, no markup lands in the DOM, the Hub
 * records no CSP violation) and each payload shows as the very text that was sent.
 */
import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeInChromium } from './support/chromium.js';
import { snippetPage } from './support/site.js';
import { useWorld, eventually } from './support/world.js';

const flag = (tag: string) => `window.__xss=(window.__xss||[]).concat('${tag}')`;

/** Payloads for HTML text, attributes, URLs and template engines; each would set `__xss` or open a dialog. */
const corpus = [
  `<img src=x onerror="${flag('img')}">`,
  `<script>${flag('script')}</script>`,
  `"><svg onload=${flag('svg')}>`,
  `'><details open ontoggle=alert('details')>`,
  `javascript:${flag('scheme')}`,
  `<a href="javascript:${flag('link')}">click me</a>`,
  `https://example.com/"><img src=x onerror=alert('url')>`,
  `<iframe srcdoc="<script>parent.${flag('iframe')}</script>"></iframe>`,
  `{{constructor.constructor('${flag('template')}')()}}`,
  `<style>*{display:none}</style>`,
];
const visitorName = `<img src=x onerror="${flag('name')}">Mallory`;
const agentName = `<svg onload=alert('agent')>Eve`;
const customKey = `<b onmouseover=alert(1)>plan`;
const customValue = `<img src=x onerror=alert('custom')>Pro`;
const surveyComment = `<script>${flag('survey')}</script>great`;
const fileName = `/help/"><img src=x onerror=alert('file')>.html`;

/**
 * Markup that only an injection would create, in the widget's shadow root and the Hub: script,
 * frames, SVG, `<details>`, `<style>` and `<b>` elements, images pointing at "x", `on*`
 * attributes and javascript: links.
 */
function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const roots: ParentNode[] = [];
    const widget = document.querySelector('parley-widget')?.shadowRoot;
    if (widget) roots.push(widget);
    const hub = document.getElementById('hub');
    if (hub) roots.push(hub);
    const found: string[] = [];
    for (const root of roots) {
      for (const element of root.querySelectorAll('*')) {
        const tag = element.tagName.toLowerCase();
        if (['script', 'iframe', 'svg', 'details', 'style', 'b'].includes(tag)) found.push(`<${tag}>`);
        if (tag === 'img' && element.getAttribute('src') === 'x') found.push('<img src=x>');
        for (const attribute of element.getAttributeNames()) if (attribute.startsWith('on')) found.push(attribute);
        if (/^\s*javascript:/i.test(element.getAttribute('href') ?? '')) found.push('javascript: link');
      }
    }
    return found;
  });
}

/** `inner` lies inside `outer` horizontally and is wide enough to read a word or two. */
async function expectWithin(inner: Locator, outer: Locator): Promise<void> {
  const [box, frame] = await Promise.all([inner.boundingBox(), outer.boundingBox()]);
  expect(box && frame).toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(frame!.x);
  expect(box!.x + box!.width).toBeLessThanOrEqual(frame!.x + frame!.width + 0.5);
  expect(box!.width).toBeGreaterThan(60);
}

describeInChromium('an XSS corpus in Chromium', () => {
  const world = useWorld();

  it('runs no payload anywhere and shows each one as text', async () => {
    const { server, site } = await world.start({ agents: 0 });
    const eve = await server.addAgent({ name: agentName });
    const dialogs: string[] = [];
    const pages: Page[] = [];
    const watch = (page: Page) => {
      pages.push(page);
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    };
    const hub = await world.hub(eve);
    watch(hub.page);
    // The Hub forbids inline scripts by CSP; an attempt would show up here.
    await hub.page.evaluate(() => {
      const target = window as unknown as { __violations: string[] };
      target.__violations = [];
      document.addEventListener(
        'securitypolicyviolation',
        (event) => target.__violations.push(event.effectiveDirective),
        true,
      );
    });

    const pageUrl = site.serve(fileName, snippetPage({ server: server.url, widgetId: server.widgetId }));
    const visitor = await world.visitor(pageUrl, (page) => watch(page));
    await visitor.call('identify', { name: visitorName, email: 'mallory@example.com' });
    await visitor.call('setCustomData', { [customKey]: customValue });
    await visitor.openChat();
    for (const payload of corpus) await visitor.send(payload);
    await hub.chatLinks.first().waitFor();
    await hub.openChat();
    for (const payload of corpus) await hub.send(payload);

    const expected = [...corpus.map((body) => `visitor: ${body}`), ...corpus.map((body) => `agent: ${body}`)];
    await eventually(() => hub.timeline()).toEqual(expected);
    await eventually(() => visitor.transcript()).toEqual(expected);
    // Names and details, as text.
    expect(await visitor.box.locator('.head .title').textContent()).toBe(agentName);
    expect(await hub.chatTitle.textContent()).toBe(visitorName);
    const details = hub.page.locator('.visitor-panel');
    await details.getByText(customValue, { exact: true }).waitFor();
    expect(await details.getByText(customKey, { exact: true }).count()).toBe(1);
    expect(await details.getByRole('link', { name: visitor.page.url() }).count()).toBe(1);
    // Long names and keys wrap or ellipsize inside their column instead of pushing text out of view.
    await expectWithin(details.getByText(customValue, { exact: true }), details);
    await expectWithin(hub.chatLinks.first().locator('.chat-link-name'), hub.page.locator('.sidebar'));

    // The visitor ends the chat and leaves a comment with the survey.
    await visitor.box.getByRole('button', { name: 'End chat' }).click();
    await visitor.box.getByRole('button', { name: 'Yes, end chat' }).click();
    await visitor.box.getByRole('radio', { name: '2' }).check();
    await visitor.box.getByLabel('Comment (optional)').fill(surveyComment);
    await visitor.box.getByRole('button', { name: 'Send feedback' }).click();
    await hub.page.getByText(`Visitor rated the chat 2 out of 5: “${surveyComment}”`).waitFor();

    // With the agent paused, a second visitor leaves an offline message.
    await hub.page.getByRole('radio', { name: 'Paused' }).check();
    await hub.page.locator('input[name=agent-status][value=paused]:checked').waitFor({ state: 'attached' });
    const offline = await world.visitor(pageUrl, (page) => watch(page));
    await offline.launcher.getByText('Leave a message').waitFor();
    await offline.openChat();
    await offline.box.getByLabel('Email').fill('mallory@example.com');
    await offline.box.getByLabel('Name (optional)').fill(visitorName);
    await offline.box.getByLabel('Message').fill(corpus[0]!);
    await offline.box.getByRole('button', { name: 'Send message' }).click();
    await offline.box.getByText('Thanks! We have your message').waitFor();
    await hub.page.getByRole('button', { name: /Offline messages/ }).click();
    await hub.page.getByText(`${visitorName} <mallory@example.com>`).waitFor();
    await hub.page.getByText(corpus[0]!, { exact: true }).waitFor();

    expect(dialogs).toEqual([]);
    for (const page of pages) {
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await injectedMarkup(page)).toEqual([]);
    }
    expect(await hub.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  });
});
