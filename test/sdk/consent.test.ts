/**
 * Consent against the real server and the real widget UI: while consent is pending nothing is
 * stored, no cookie is set and no session, socket or stream is requested, yet the launcher still
 * invites a chat; the visitor's "Start chat" click or the site's banner is the consent, after which
 * everything works, the proactive message included.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import { installPageApi } from '../../src/sdk/page-api.js';
import { readOptions, type ResolvedOptions } from '../../src/sdk/options.js';
import type { QueuedCall } from '../../src/sdk/queue.js';
import { drawShell } from '../../src/sdk/shell.js';
import { widgetUi } from '../../src/sdk/widget-ui.js';
import { nextEvent, waitFor } from '../server/harness.js';
import { fakeUi } from './support/fake-ui.js';
import { openTab, pause, storedKeys, liveWorld } from './support/world.js';

const invitation = 'Can we help you choose a plan?';

/** Counts every write to the page's storages and cookie jar. */
function watchWrites() {
  const spies = [
    vi.spyOn(localStorage, 'setItem'),
    vi.spyOn(localStorage, 'removeItem'),
    vi.spyOn(localStorage, 'clear'),
    vi.spyOn(sessionStorage, 'setItem'),
    vi.spyOn(Object.getPrototypeOf(document) as Document, 'cookie', 'set'),
  ];
  return {
    count: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** The widget's shadow root, as the visitor's browser renders it. */
function widgetRoot(): ShadowRoot {
  const root = document.querySelector('parley-widget')?.shadowRoot;
  if (!root) throw new Error('the widget is not on the page');
  return root;
}

function button(label: RegExp): HTMLButtonElement | undefined {
  return [...widgetRoot().querySelectorAll('button')].find((candidate) => label.test(candidate.textContent ?? ''));
}

describe('consent', () => {
  const world = liveWorld('/pricing/teams', { proactive: [{ message: invitation, delayMs: 50, path: '/pricing' }] });
  const { tabs } = world;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes, sets and requests nothing identifying before consent; "Start chat" then starts everything', async () => {
    const writes = watchWrites();
    const tab = openTab({
      server: world.server.url,
      widgetId: world.server.widgetId,
      chat: { consent: 'required' },
      ui: widgetUi,
    });
    tabs.push(tab);

    // The launcher invites a chat as usual: consent is asked in the box, never as "closed".
    await waitFor('the launcher text', () => button(/Chat with us/) !== undefined);
    await pause(200); // the proactive rule's delay passes: it must wait for consent
    button(/Chat with us/)!.click();
    await waitFor('the consent notice', () => button(/Start chat/) !== undefined);
    expect(widgetRoot().textContent).not.toMatch(/closed/i);
    expect(tab.chat.getConsent()).toBe('pending');
    expect(widgetRoot().textContent).not.toContain(invitation);

    // The site tries to chat anyway: refused with a coded error, nothing sent.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(tab.chat.sendMessage('Hello?')).rejects.toMatchObject({ code: 'consent_required' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('sendMessage'));
    tab.controller().draftChanged('Hel');
    await tab.chat.setCustomData({ plan: 'pro' });
    await pause(100);

    expect(writes.count()).toBe(0);
    expect(storedKeys(localStorage)).toEqual([]);
    expect(storedKeys(sessionStorage)).toEqual([]);
    expect(document.cookie).toBe('');
    expect(tab.requests).toEqual([`GET /v1/widgets/${world.server.widgetId}/config`]);
    expect(tab.sockets).toEqual([]);

    // The visitor's click is the consent.
    button(/Start chat/)!.click();
    expect(tab.chat.getConsent()).toBe('granted');
    await waitFor('the proactive message', () => widgetRoot().textContent.includes(invitation));

    const received = nextEvent<ServerFrameOf<'message'>>(world.agent, 'message');
    const sent = await tab.chat.sendMessage('Which plan fits a team of five?');
    expect((await received).body).toBe('Which plan fits a team of five?');
    expect(sent.conversationId).toEqual(expect.any(String));
    expect(tab.requests).toContain(`POST /v1/widgets/${world.server.widgetId}/sessions`);
    expect(tab.sockets).toHaveLength(1);
    await waitFor('the message on screen', () => widgetRoot().textContent.includes('Which plan fits a team of five?'));
    // State now lives under the widget's one prefix.
    expect(storedKeys().length).toBeGreaterThan(0);
    expect(storedKeys().every((key) => key.startsWith(`parley:${world.server.widgetId}:`))).toBe(true);
    expect(document.cookie).toBe('');
    writes.restore();
  });

  it('applies a queued setDefaultImplicitConsent(false) before anything is stored, then the banner grants', async () => {
    const writes = watchWrites();
    const options = readOptions({
      widgetId: world.server.widgetId,
      server: world.server.url,
      open: true,
    }) as ResolvedOptions;
    const ui = fakeUi();
    const requests: string[] = [];
    const env = {
      fetch: (url: string, init?: RequestInit) => {
        requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
        return fetch(url, init);
      },
      storage: localStorage,
      BroadcastChannel,
      ui,
    };
    // What the snippet's stub recorded before the bundle arrived, in the page's order.
    const settled: string[] = [];
    const queued = (method: string, ...args: unknown[]): QueuedCall => [
      [method, ...args],
      (value) => settled.push(`${method}: ${JSON.stringify(value)}`),
      (error) => settled.push(`${method} failed: ${(error as { code: string }).code}`),
    ];
    const queue = [queued('setDefaultImplicitConsent', false), queued('getConsent'), queued('open')];
    const shell = drawShell(options, env);
    installPageApi(shell, options, env, queue);
    await pause(300);
    expect(settled).toEqual(['setDefaultImplicitConsent: undefined', 'getConsent: "pending"', 'open: undefined']);
    // Opened at once (an option and a queued call), yet nothing stored and nothing but the config asked.
    expect(ui.mountedChatBoxes).toBe(1);
    expect(writes.count()).toBe(0);
    expect(storedKeys()).toEqual([]);
    expect(requests).toEqual([`GET /v1/widgets/${world.server.widgetId}/config`]);

    // The site's own banner grants consent through the loaded API.
    const parley = (window as unknown as { Parley: (method: string, ...args: unknown[]) => Promise<unknown> }).Parley;
    await parley('consent', 'grant');
    expect(await parley('getConsent')).toBe('granted');
    expect(storedKeys()).toEqual([`parley:${world.server.widgetId}:consent`, `parley:${world.server.widgetId}:open`]);
    await parley('destroy');
    writes.restore();
  });
});
