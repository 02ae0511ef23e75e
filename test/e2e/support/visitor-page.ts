/**
 * A visitor's tab on the host site, seen the way the visitor meets the widget: the launcher and
 * the chat box in the widget's shadow root, the page's `Parley` API, what the browser stores, and
 * every request and socket the page opened.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** One line of the chat box's message list: `visitor: Hello`, `agent: Hi!` or `team: …` (proactive). */
export type TranscriptLine = string;

export interface StorageSnapshot {
  cookies: string[];
  localStorage: string[];
  sessionStorage: string[];
}

export class VisitorPage {
  /** Every request URL and every WebSocket URL this tab opened, in order. */
  readonly requests: string[] = [];
  readonly launcher: Locator;
  readonly box: Locator;
  readonly composer: Locator;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('websocket', (socket) => this.requests.push(socket.url()));
    this.launcher = page.locator('#parley-launcher');
    this.box = page.locator('#parley-chat');
    this.composer = this.box.getByRole('textbox', { name: 'Message' });
  }

  /** Opens the box from the launcher, as a visitor clicks it. */
  async openChat(): Promise<void> {
    await this.launcher.click();
    await this.box.waitFor({ state: 'visible' });
  }

  /** Types and sends a message from the chat box (Enter sends). */
  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  /**
   * The message list as `author: text` lines, in the order shown; `pending` marks a message the
   * server has not acknowledged yet.
   */
  transcript(): Promise<TranscriptLine[]> {
    return this.page.evaluate(() => {
      const root = document.querySelector('parley-widget')?.shadowRoot;
      const groups = [...(root?.querySelectorAll('#parley-chat li.group') ?? [])];
      return groups.flatMap((group) => {
        const author = ['visitor', 'agent', 'team', 'system'].find((name) => group.classList.contains(name)) ?? '?';
        return [...group.querySelectorAll('.item')].map(
          (item) =>
            `${author}: ${item.querySelector('.msg')?.textContent ?? ''}${item.querySelector('.note') ? ' (pending)' : ''}`,
        );
      });
    });
  }

  /** Calls the page's JS API, `Parley(method, ...args)`, and returns what its promise resolves to. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      ([name, input]) =>
        (window as unknown as { Parley: (...a: unknown[]) => Promise<unknown> }).Parley(name, ...input),
      [method, args] as const,
    ) as Promise<T>;
  }

  /** Cookies of every origin, and the host page's localStorage and sessionStorage keys, read from Chromium. */
  async storage(): Promise<StorageSnapshot> {
    const cookies = (await this.context.cookies()).map((cookie) => `${cookie.domain} ${cookie.name}`);
    const { local, session } = await this.page.evaluate(() => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
    }));
    // The context's view of storage, across origins the tab has touched (the server's included).
    const state = await this.context.storageState();
    const otherOrigins = state.origins
      .filter((origin) => origin.origin !== new URL(this.page.url()).origin)
      .flatMap((origin) => origin.localStorage.map((entry) => `${origin.origin} ${entry.name}`));
    return { cookies, localStorage: [...local, ...otherOrigins], sessionStorage: session };
  }

  /** Requests (and sockets) whose path matches, e.g. `/v1/(ws|stream|frames)`. */
  requestsTo(path: RegExp): string[] {
    return this.requests.filter((url) => path.test(new URL(url).pathname));
  }
}
