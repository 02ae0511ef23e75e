// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/", "settings": { "disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true } }
/**
 * The destination's `load`, with real analytics-next: on a page without Parley it adds the snippet
 * (once, however many destinations ask), the snippet's queue keeps the calls until the widget's
 * bundle has loaded, and the identify calls made meanwhile reach Parley afterwards, in order.
 * `isLoaded()` says whether the widget answers.
 */
import type { Plugin } from '@segment/analytics-next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleySegmentError, parleyDestination } from '../../../destinations/segment/index.js';
import type { VisitorIdentity } from '../../../src/sdk/api-types.js';
import { readOptions, type ResolvedOptions } from '../../../src/sdk/options.js';
import { installPageApi } from '../../../src/sdk/page-api.js';
import type { SnippetStub } from '../../../src/sdk/queue.js';
import { drawShell } from '../../../src/sdk/shell.js';
import { chatOnPage, newAnalytics, server, stubbedEnvironment, widgetId } from './support.js';

type Page = { Parley?: SnippetStub };
const page = () => window as unknown as Page;

/** The script tags destinations added, held back so the test decides when each one "loads". */
let added: HTMLScriptElement[] = [];

beforeEach(() => {
  localStorage.clear();
  added = [];
  const append = document.head.append.bind(document.head);
  vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
    for (const node of nodes) {
      if (node instanceof HTMLScriptElement && node.src.endsWith('/snippet.js')) added.push(node);
      else append(node);
    }
  });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  delete page().Parley;
  document.head.replaceChildren();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** The snippet, as served at /snippet.js, runs for a script tag (which is its `document.currentScript`). */
async function runSnippet(script: HTMLScriptElement): Promise<void> {
  const current = vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
  vi.resetModules();
  await import('../../../src/snippet/snippet.js');
  current.mockRestore();
  script.dispatchEvent(new Event('load'));
}

/** The widget's bundle arrives: its core replaces the stub and drains its queue (src/sdk/page-api.ts). */
function widgetBundleLoads(): void {
  const options = readOptions({ widgetId: page().Parley!.c!.widget, server: page().Parley!.c!.server });
  const env = stubbedEnvironment();
  installPageApi(drawShell(options as ResolvedOptions, env), options as ResolvedOptions, env, page().Parley!.q!);
}

describe('load', () => {
  it('adds the snippet once, and replays the identify calls made before the widget loaded, in order', async () => {
    const plugin = parleyDestination({ widgetId, server: `${server}/` });
    const analytics = newAnalytics();
    await analytics.register(plugin);
    // analytics-next does not wait for the destination: these arrive while nothing is on the page.
    await analytics.identify('u-1', { email: 'first@example.com' });
    await analytics.identify('u-2', { email: 'second@example.com', name: 'Second' });
    expect(plugin.isLoaded()).toBe(false);

    // A second analytics instance with its own destination: still one snippet.
    const other = parleyDestination({ apiKey: widgetId, server });
    await newAnalytics().register(other);
    expect(added).toHaveLength(1);
    const [script] = added;
    expect(script!.src).toBe(`${server}/snippet.js`);
    expect({ ...script!.dataset }).toEqual({ widget: widgetId, server });

    await runSnippet(script!);
    // The snippet's queue holds the calls; the page may queue its own meanwhile.
    const identified: VisitorIdentity[] = [];
    void page().Parley!('use', {
      name: 'probe',
      track: () => undefined,
      identify: (traits: VisitorIdentity) => identified.push(traits),
    });
    await analytics.identify('u-3', { email: 'third@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plugin.isLoaded()).toBe(false);
    expect(identified).toEqual([]);

    widgetBundleLoads();
    await vi.waitFor(() => expect(identified).toHaveLength(3));
    expect(identified).toEqual([
      { email: 'first@example.com', userId: 'u-1' },
      { email: 'second@example.com', name: 'Second', userId: 'u-2' },
      { email: 'third@example.com', userId: 'u-3' },
    ]);
    expect(plugin.isLoaded()).toBe(true);
    await vi.waitFor(() => expect(other.isLoaded()).toBe(true));
    expect(page().Parley!.loaded).toBe(true);

    // After load, calls go straight through.
    await analytics.identify('u-4', { email: 'fourth@example.com' });
    await vi.waitFor(() => expect(identified).toHaveLength(4));
    expect(added).toHaveLength(1);
  });

  it('adds nothing when the page has the widget already, and ignores its own widgetId then', async () => {
    const { chat, identified } = await chatOnPage();
    const { parleyFunction } = await import('../../../src/sdk/queue.js');
    page().Parley = parleyFunction(chat) as unknown as SnippetStub;
    const plugin = parleyDestination({ widgetId: 'another-widget', server });
    const analytics = newAnalytics();
    await analytics.register(plugin);
    await analytics.identify('u-1', { email: 'ada@example.com' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(plugin.isLoaded()).toBe(true);
    expect(added).toEqual([]);
    chat.destroy();
  });

  it('fails to load, coded, when the snippet does not load or the settings cannot load it; a later one tries again', async () => {
    const failures: Plugin[] = [];
    const analytics = newAnalytics();
    analytics.queue.on('initialization_failure', (plugin: Plugin) => failures.push(plugin));

    const unreachable = parleyDestination({ widgetId, server });
    await analytics.register(unreachable);
    added[0]!.dispatchEvent(new Event('error'));
    await vi.waitFor(() => expect(failures).toEqual([unreachable]));
    expect(console.warn).toHaveBeenCalledWith(
      'Parley',
      expect.objectContaining({
        code: 'widget_unavailable',
        message: expect.stringContaining(`${server}/snippet.js`) as unknown,
      }),
    );
    expect(unreachable.isLoaded()).toBe(false);

    // A script that loads but defines no Parley (a wrong server) fails the same way.
    const wrongServer = parleyDestination({ widgetId, server: 'https://www.example.com' });
    await analytics.register(wrongServer);
    expect(added).toHaveLength(2);
    added[1]!.dispatchEvent(new Event('load'));
    await vi.waitFor(() => expect(failures).toEqual([unreachable, wrongServer]));

    const nothingToLoad = parleyDestination({ recordLiveChatEvents: true });
    const badServer = parleyDestination({ widgetId, server: 'chat.example.com' });
    await analytics.register(nothingToLoad, badServer);
    await vi.waitFor(() => expect(failures).toHaveLength(4));
    const reasons = (console.warn as unknown as { mock: { calls: unknown[][] } }).mock.calls.map(
      ([, error]) => error as ParleySegmentError,
    );
    expect(reasons.every((error) => error instanceof ParleySegmentError)).toBe(true);
    expect(reasons.map((error) => error.code)).toEqual([
      'widget_unavailable',
      'widget_unavailable',
      'invalid_settings',
      'invalid_settings',
    ]);
    expect(reasons[2]!.message).toMatch(/give widgetId and server/);
    expect(reasons[3]!.message).toMatch(/server must be the origin of your Parley server, not "chat.example.com"/);
    // analytics-next goes on without them.
    expect(analytics.queue.plugins.filter((plugin) => plugin.name === 'Parley')).toEqual([]);
  });

  it('forwards nothing more once unloaded, and says it is not loaded', async () => {
    const { chat, identified } = await chatOnPage();
    const plugin = parleyDestination({ chat });
    const analytics = newAnalytics();
    await analytics.register(plugin);
    await analytics.identify('u-1', { email: 'ada@example.com' });
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    await analytics.deregister('Parley');
    expect(plugin.isLoaded()).toBe(false);
    await analytics.identify('u-2', { email: 'grace@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(identified).toHaveLength(1);
    chat.destroy();
  });
});
