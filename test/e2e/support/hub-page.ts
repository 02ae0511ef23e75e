/** An agent's Hub tab (`/hub` on the server), driven through its UI as an agent uses it. */
import type { BrowserContext, Locator, Page } from 'playwright-core';

export class HubPage {
  readonly chatLinks: Locator;
  readonly reply: Locator;
  readonly sneakPeek: Locator;
  readonly chatTitle: Locator;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {
    this.chatLinks = page.locator('.chat-list .chat-link');
    this.reply = page.locator('textarea[data-reply]');
    this.sneakPeek = page.getByRole('region', { name: 'Sneak peek' });
    this.chatTitle = page.locator('#chat-title');
  }

  /** Logs in through the login form and waits for the console to be connected. */
  async login(serverUrl: string, agent: { email: string; password: string }): Promise<void> {
    await this.page.goto(`${serverUrl}/hub`);
    await this.page.getByLabel('Email').fill(agent.email);
    await this.page.getByLabel('Password').fill(agent.password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.waitConnected();
  }

  /** Waits until the console's connection is open and the server has told it the agent's status. */
  async waitConnected(): Promise<void> {
    await this.page.locator('.connection-open').waitFor({ state: 'attached' });
    await this.page.locator('input[name=agent-status]:checked').waitFor({ state: 'attached' });
  }

  /** Opens the chat whose list entry contains `text` (the first chat when omitted). */
  async openChat(text?: string): Promise<void> {
    const link = text === undefined ? this.chatLinks.first() : this.chatLinks.filter({ hasText: text }).first();
    await link.click();
    await this.chatTitle.waitFor();
  }

  /** Writes a reply in the open chat and sends it with Enter. */
  async send(text: string): Promise<void> {
    await this.reply.fill(text);
    await this.reply.press('Enter');
  }

  /**
   * The open chat's messages as `author: text` lines in order (`visitor`, `agent`, `system`);
   * `pending` marks a reply the server has not stored yet.
   */
  timeline(): Promise<string[]> {
    return this.page.locator('.timeline li.message').evaluateAll((items) =>
      items.map((item) => {
        const author = ['visitor', 'agent', 'system'].find((role) => item.classList.contains(`message-${role}`)) ?? '?';
        const pending = item.classList.contains('message-pending') ? ' (pending)' : '';
        return `${author}: ${item.querySelector('.message-body')?.textContent ?? ''}${pending}`;
      }),
    );
  }

  /** The open chat's event lines (started, assigned, transferred, ended, rated). */
  events(): Promise<string[]> {
    return this.page.locator('.timeline li.event > span').allTextContents();
  }
}
