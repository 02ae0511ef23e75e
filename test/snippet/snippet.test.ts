// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://shop.example.com/products", "settings": { "enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true, "disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true } }
/**
 * The snippet as a site owner pastes it: built and minified as the release builds it, run as an
 * inline script on a page. Calls made before the widget bundle arrives queue up, and the bundle's
 * entry replays them in order and settles each call's promise with the method's result.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import config from '../../rollup.config.mjs';
import type { SnippetStub } from '../../src/sdk/queue.js';
import { nextTask } from '../../src/sdk/tasks.js';

const widgetId = '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70';
const server = 'https://chat.example.com';
let snippet = '';

/** The snippet exactly as `npm run build` writes dist/snippet/snippet.js. */
async function buildSnippet(): Promise<string> {
  const build = (config as { input: unknown; output: object; plugins: unknown[] }[]).find(
    (entry) => entry.input === 'src/snippet/index.ts',
  )!;
  const bundle = await rollup({ input: 'src/snippet/index.ts', plugins: build.plugins as never, logLevel: 'silent' });
  const { output } = await bundle.generate(build.output);
  await bundle.close();
  return output[0].code;
}

/** Pastes the snippet into the page as an inline `<script>` with its data-* settings. */
function paste(attributes: Record<string, string>): void {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  script.textContent = snippet;
  document.head.append(script);
}

const parley = () => (window as unknown as { Parley: SnippetStub }).Parley;
/** Resolves after the page's next animation frame, after which the snippet asks for the bundle. */
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
/** The widget's shadow root, once the entry has started (a task after it is evaluated). */
const widgetRoot = () => vi.waitFor(() => document.querySelector('parley-widget')!.shadowRoot!);
const bundleTags = () =>
  [...document.querySelectorAll('script[src]')].filter((tag) => (tag as HTMLScriptElement).src.endsWith('/widget.js'));

beforeAll(async () => {
  snippet = await buildSnippet();
  // happy-dom lacks HTMLElement's `nonce` property, which every current browser has.
  if (!('nonce' in HTMLElement.prototype)) {
    Object.defineProperty(HTMLElement.prototype, 'nonce', {
      get(this: HTMLElement) {
        return this.getAttribute('nonce') ?? '';
      },
      set(this: HTMLElement, value: string) {
        this.setAttribute('nonce', value);
      },
      configurable: true,
    });
  }
}, 60_000);

beforeEach(() => {
  // The snippet asks for the widget's config at once; nothing here may reach the network.
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.reject(new Error('offline test'))),
  );
});

afterEach(async () => {
  // A pasted snippet's first frame and its bundle's request finish here, not in the next test.
  await nextFrame();
  await nextTask();
  delete (window as unknown as { Parley?: unknown }).Parley;
  document.head.replaceChildren();
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('snippet', () => {
  it('is at most 600 bytes gzip', () => {
    const gzip = gzipSync(snippet, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(600);
    expect(snippet).not.toMatch(/\beval\(|new Function/);
  });

  it('defines a queue stub at once, shows the bubble in the first frame, then loads the bundle as an async module', async () => {
    paste({ 'data-widget': widgetId, 'data-server': `${server}/`, nonce: 'r4nd0m' });
    const stub = parley();
    expect(typeof stub).toBe('function');
    const first = stub('open');
    const second = stub('identify', { email: 'ada@example.com' });
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBeInstanceOf(Promise);
    expect(stub.q!.map(([args]) => args)).toEqual([['open'], ['identify', { email: 'ada@example.com' }]]);
    expect(stub.c).toMatchObject({ widget: widgetId, server, nonce: 'r4nd0m' });
    // Nothing touches the network while the page is parsed.
    expect(bundleTags()).toHaveLength(0);
    expect(fetch).not.toHaveBeenCalled();

    await nextFrame();
    expect(stub.h).toBe(document.querySelector('parley-bubble'));
    expect(bundleTags()).toHaveLength(0);
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    const [tag] = bundleTags() as HTMLScriptElement[];
    expect(tag!.src).toBe(`${server}/widget.js`);
    expect(tag!.type).toBe('module');
    expect(tag!.nonce).toBe('r4nd0m');
    // The snippet asks nothing of the server itself: the entry fetches the public config.
    expect(fetch).not.toHaveBeenCalled();
  });

  it("draws the bubble in the snippet's colour and corner, and a click on it queues open()", async () => {
    paste({ 'data-widget': widgetId, 'data-server': server, 'data-color': '#0a7d4f', 'data-position': 'left' });
    await nextFrame();
    const bubble = document.querySelector<HTMLElement>('parley-bubble')!;
    expect(bubble.style.position).toBe('fixed');
    expect(bubble.style.left).toBe('20px');
    expect(bubble.style.right).toBe('');
    expect(bubble.style.background).toMatch(/#0a7d4f|rgb\(10, 125, 79\)/);
    bubble.click();
    expect(parley().q!.map(([args]) => args)).toEqual([['open']]);
  });

  it('draws no bubble for an inline chat or when the page queued hide(), and still loads the bundle', async () => {
    paste({ 'data-widget': widgetId, 'data-server': server, 'data-container': '#chat' });
    void parley()('hide');
    await nextFrame();
    expect(document.querySelector('parley-bubble')).toBeNull();
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    delete (window as unknown as { Parley?: unknown }).Parley;
    document.head.replaceChildren();

    // Pasted inline, the snippet runs while the page is parsed, and the page's later scripts queue
    // their calls before the bubble is drawn, once parsing ends.
    const readyState = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    paste({ 'data-widget': widgetId, 'data-server': server });
    void parley()('hide');
    readyState.mockReturnValue('interactive');
    document.dispatchEvent(new Event('DOMContentLoaded', { bubbles: true }));
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    expect(document.querySelector('parley-bubble')).toBeNull();
  });

  it('draws the bubble once the page is parsed, before its first frame', () => {
    const readyState = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    paste({ 'data-widget': widgetId, 'data-server': server });
    expect(document.querySelector('parley-bubble')).toBeNull();
    readyState.mockReturnValue('interactive');
    document.dispatchEvent(new Event('DOMContentLoaded', { bubbles: true }));
    expect(document.querySelector('parley-bubble')).not.toBeNull();
    expect(bundleTags()).toHaveLength(0);
  });

  it('removes the bubble when the bundle cannot load, so no dead button stays on the page', async () => {
    paste({ 'data-widget': widgetId, 'data-server': server });
    await nextFrame();
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    expect(document.querySelector('parley-bubble')).not.toBeNull();
    bundleTags()[0]!.dispatchEvent(new Event('error'));
    expect(document.querySelector('parley-bubble')).toBeNull();
  });

  it('keeps the first stub when pasted twice', async () => {
    paste({ 'data-widget': widgetId, 'data-server': server });
    const stub = parley();
    void stub('open');
    paste({ 'data-widget': '11111111-2222-4333-8444-555555555555', 'data-server': 'https://other.example.com' });
    expect(parley()).toBe(stub);
    expect(stub.q).toHaveLength(1);
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    await nextFrame();
    expect(bundleTags()).toHaveLength(1);
    expect(document.querySelectorAll('parley-bubble')).toHaveLength(1);
  });

  it('takes the server from its own src when served as /snippet.js (pages without inline scripts)', async () => {
    const tag = document.createElement('script');
    tag.src = `${server}/snippet.js`;
    tag.dataset.widget = widgetId;
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(tag);
    runInThisContext(snippet);
    expect(parley().c).toMatchObject({ widget: widgetId, server });
    await vi.waitFor(() => expect(bundleTags()).toHaveLength(1));
    expect((bundleTags()[0] as HTMLScriptElement).src).toBe(`${server}/widget.js`);
  });

  it('has a demo copy (examples/demo-snippet.js) that leaves the same stub, with the ID from ?widget=', () => {
    history.replaceState({}, '', `?widget=${widgetId}`);
    const tag = document.createElement('script');
    tag.dataset.container = '#support-chat';
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(tag);
    // Path arithmetic: happy-dom's URL class is not one fileURLToPath accepts.
    const examples = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
    runInThisContext(readFileSync(join(examples, 'demo-snippet.js'), 'utf8'));
    const stub = parley();
    void stub('open');
    expect(stub.q!.map(([args]) => args)).toEqual([['open']]);
    expect(stub.c).toEqual({ container: '#support-chat', widget: widgetId, server: location.origin });
    expect((bundleTags()[0] as HTMLScriptElement).src).toBe(`${location.origin}/widget.js`);
    history.replaceState({}, '', '/products');
  });

  it('has its calls replayed in order by the widget entry, each promise settled with the result', async () => {
    const fetch = serveConfigOnly();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    paste({ 'data-widget': widgetId, 'data-server': server });
    const Parley = parley();
    const settled: string[] = [];
    const record = (label: string, promise: Promise<unknown>) =>
      promise.then(
        (value) => settled.push(`${label} → ${JSON.stringify(value)}`),
        (error: { code: string }) => settled.push(`${label} ✗ ${error.code}`),
      );
    const opened = vi.fn();
    const calls = [
      record('setDefaultImplicitConsent(false)', Parley('setDefaultImplicitConsent', false)),
      record('on(open)', Parley('on', 'open', opened)),
      record('open()', Parley('open')),
      record('getConsent()', Parley('getConsent')),
      record('bogus()', Parley('bogus')),
      record('identify(bad email)', Parley('identify', { email: 'ada@' })),
      record('getUnreadCount()', Parley('getUnreadCount')),
    ];
    expect(settled).toEqual([]);

    // The bundle arrives.
    await import('../../src/sdk/entry.js');
    await Promise.all(calls);

    expect(settled).toEqual([
      'setDefaultImplicitConsent(false) → undefined',
      'on(open) → undefined',
      'open() → undefined',
      'getConsent() → "pending"',
      'bogus() ✗ unknown_method',
      'identify(bad email) ✗ invalid_email',
      'getUnreadCount() → 0',
    ]);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringContaining('bogus'),
      expect.stringContaining('identify'),
    ]);
    // The stub is replaced by the real function, which answers at once.
    const loaded = parley();
    expect(loaded).not.toBe(Parley);
    expect(loaded.loaded).toBe(true);
    await expect(loaded('getConsent')).resolves.toBe('pending');
    // Consent was required before anything ran: nothing stored, only the public config fetched,
    // once: the entry used the snippet's request.
    expect(localStorage.length).toBe(0);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([`${server}/v1/widgets/${widgetId}/config`]);
    // The launcher is on the page, inviting a chat, in place of the snippet's bubble.
    const root = document.querySelector('parley-widget')!.shadowRoot!;
    await vi.waitFor(() => expect(root.querySelector('button')?.textContent).toContain('Chat with us'));
    expect(document.querySelector('parley-bubble')).toBeNull();
    // The queued open() opened the chat box, which asks for consent rather than saying "closed".
    await vi.waitFor(() => expect(root.querySelector('[role="dialog"]')?.textContent).toMatch(/Start chat/), {
      timeout: 5000,
    });
    await loaded('destroy');
  });

  it('keeps the bubble until the launcher replaces it, and drops it at once for a hide() queued after it', async () => {
    let answerConfig!: () => void;
    serveConfigOnly(new Promise<void>((resolve) => (answerConfig = resolve)));
    paste({ 'data-widget': widgetId, 'data-server': server });
    await nextFrame();
    expect(document.querySelector('parley-bubble')).not.toBeNull();
    vi.resetModules();
    await import('../../src/sdk/entry.js');
    // The config has not arrived, so there is no launcher yet: the bubble holds its place.
    expect((await widgetRoot()).querySelector('#parley-launcher')).toBeNull();
    expect(document.querySelector('parley-bubble')).not.toBeNull();
    await parley()('hide');
    expect(document.querySelector('parley-bubble')).toBeNull();
    answerConfig();
    await parley()('destroy');
  });

  it('keeps the launcher hidden from its first frame when the page queued hide()', async () => {
    // The config, and with it the launcher, arrives once the test watches the widget's root.
    let answerConfig!: () => void;
    serveConfigOnly(new Promise<void>((resolve) => (answerConfig = resolve)));
    paste({ 'data-widget': widgetId, 'data-server': server });
    void parley()('hide');
    vi.resetModules();
    await import('../../src/sdk/entry.js');
    const root = await widgetRoot();
    expect(root.querySelector('#parley-launcher')).toBeNull();
    // What the launcher looked like when it went in, before the core replayed the queue.
    const visibleWhenInserted: boolean[] = [];
    new MutationObserver(() => {
      const launcher = root.querySelector<HTMLElement>('#parley-launcher');
      if (launcher && visibleWhenInserted.length === 0) visibleWhenInserted.push(!launcher.hidden);
    }).observe(root, { childList: true, subtree: true });
    answerConfig();
    await vi.waitFor(() => expect(parley().loaded).toBe(true), { timeout: 5000 });
    expect(visibleWhenInserted).toEqual([false]);
    await parley()('show');
    expect(root.querySelector<HTMLElement>('#parley-launcher')!.hidden).toBe(false);
    await parley()('destroy');
  });
});

/**
 * Answers the widget's config request (online, default settings), once `answered` resolves, and
 * refuses anything else.
 */
function serveConfigOnly(answered = Promise.resolve()) {
  const fetch = vi.fn((url: string) =>
    answered
      .then(
        () =>
          new Response(JSON.stringify({ widgetId, name: 'Shop', online: true, settings: {} }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
      )
      .then((response) => (url.endsWith('/config') ? response : Promise.reject(new Error(`unexpected ${url}`)))),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}
