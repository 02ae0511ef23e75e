/**
 * The widget the destination talks to: the page's `window.Parley` (the snippet's queue or the
 * loaded API), a chat from `createChat()`, or, when the page has neither, the snippet loaded from
 * the Parley server, once per page.
 */
import type { ParleyApi } from 'parley';
import { ParleySegmentError } from './errors.js';
import type { ResolvedSettings } from './settings.js';

/** `Parley('method', ...args)`: always a promise, settled once the widget has loaded and answered. */
export type ParleyCall = (method: string, ...args: unknown[]) => Promise<unknown>;

type Page = { Parley?: ParleyCall };
const page = () => window as unknown as Page;

/**
 * Calls whatever `window.Parley` is now: the loaded widget replaces the snippet's queue, and a call
 * to the replaced queue would never be answered.
 */
const callPage: ParleyCall = (method, ...args) => page().Parley!(method, ...args);

/** The snippet this page is loading for a destination, so a second destination waits for it instead. */
let loading: Promise<void> | undefined;

/** Adds the snippet's script tag (served by the Parley server as /snippet.js), which defines `window.Parley`. */
function loadSnippet(server: string, widgetId: string): Promise<void> {
  let src: string;
  try {
    src = new URL('snippet.js', `${server}/`).href;
  } catch {
    throw new ParleySegmentError(
      'invalid_settings',
      `server must be the origin of your Parley server, not "${server}"`,
    );
  }
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    // The snippet reads its settings from its own tag's data-* attributes.
    script.dataset.widget = widgetId;
    script.dataset.server = server;
    const fail = (why: string) => reject(new ParleySegmentError('widget_unavailable', `${why} ${src}`));
    script.onload = () => (page().Parley ? resolve() : fail('no Parley widget came from'));
    script.onerror = () => fail('could not load');
    document.head.append(script);
  });
}

/**
 * How the destination calls the widget. The page's own widget (or `chat`) wins; otherwise the
 * snippet is added once, with `widgetId` and `server` from the settings.
 *
 * @example
 * const parley = await widgetCall({ widgetId, server: 'https://chat.example.com', recordLiveChatEvents: false, consentCategories: [] });
 * await parley('identify', { email: 'ada@example.com' });
 */
export async function widgetCall(settings: ResolvedSettings): Promise<ParleyCall> {
  const { chat, server, widgetId } = settings;
  if (chat) return callChat(chat);
  if (!page().Parley) {
    if (!loading && (!server || !widgetId)) {
      throw new ParleySegmentError(
        'invalid_settings',
        'the page has no Parley widget: give widgetId and server to load it',
      );
    }
    loading ??= loadSnippet(server!, widgetId!).finally(() => (loading = undefined));
    await loading;
  }
  return callPage;
}

/** The same call form over a chat object. */
function callChat(chat: ParleyApi): ParleyCall {
  const methods = chat as unknown as Record<string, (...args: unknown[]) => unknown>;
  return (method, ...args) => Promise.resolve().then(() => methods[method]!(...args));
}
