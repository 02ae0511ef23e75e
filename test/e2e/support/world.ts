/**
 * One browser test's world: the real server (in process, on a free loopback port, with a temp data
 * folder and the built widget and Hub), the host site on another port, and one freshly launched
 * Chromium whose contexts are the visitors' and agents' browsers. Everything a test starts is
 * closed after it, even when it fails.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import type { WidgetSettings } from '../../../src/server/index.js';
import type { ParleyClient } from '../../../src/transport/index.js';
import {
  agentClient,
  recordSequenced,
  startTestServer,
  waitFor,
  type TestAgent,
  type TestServer,
} from '../../server/harness.js';
import { launchChromium } from './chromium.js';
import { HubPage } from './hub-page.js';
import { startHostSite, type HostSite } from './site.js';
import { VisitorPage } from './visitor-page.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The built bundles the server serves; `npm test` builds before vitest runs. */
export const distDir = `${root}dist`;
/** Where each run leaves a screenshot of the chat box and of the Hub (git-ignored, named in the README). */
export const screenshotsDir = `${root}test-results/screenshots`;

/** Limits that a browser test should never hit by accident (its own scenario sets any it needs). */
const generousRates = {
  messages: { perSecond: 10_000, burst: 10_000 },
  sessionsPerIp: { perSecond: 1_000, burst: 1_000 },
  logins: { perSecond: 1_000, burst: 1_000 },
};

export interface WorldServerOptions {
  agents?: number;
  settings?: WidgetSettings;
  /** Demo mode: the server also runs its Segment stand-in under `/demo/segment` (see segmentPage). */
  demo?: boolean;
}

/** An agent scripted from Node over the transport client, for scenarios whose subject is the visitor's side. */
export interface ScriptedAgent {
  client: ParleyClient;
  /** Bodies of the messages the agent has seen, in order, across conversations. */
  messages(): string[];
  /** Waits for a visitor message with this body and returns its conversation. */
  received(body: string): Promise<string>;
  reply(conversationId: string, body: string): Promise<void>;
}

export interface World {
  /** Starts the host site and the server whose widget allows it; once per test. */
  start(options?: WorldServerOptions): Promise<{ server: TestServer; site: HostSite }>;
  /** The test's Chromium, launched on first use with a fresh profile. */
  browser(): Promise<Browser>;
  /**
   * A new browser context (a separate visitor) with a tab on `url`; `beforeLoad` prepares the tab
   * (network rules, listeners) before it navigates.
   */
  visitor(url: string, beforeLoad?: (page: Page) => unknown): Promise<VisitorPage>;
  /** Another tab of the same visitor, in the same context. */
  tab(of: VisitorPage, url: string): Promise<VisitorPage>;
  /** A new context with the Hub, logged in as `agent` on `serverUrl`. */
  hub(agent: { email: string; password: string }, serverUrl?: string): Promise<HubPage>;
  /** An agent connected from Node (the first of the server's agents when omitted). */
  scriptedAgent(agent?: TestAgent): Promise<ScriptedAgent>;
  /** Runs `cleanup` after the test, before the browser and servers close. */
  defer(cleanup: () => unknown): void;
}

/**
 * Registers the clean-up hook and returns the world factory for the tests of one file.
 * @example
 * const world = useWorld();
 * it('chats', async () => { const { server, site } = await world.start(); ... });
 */
export function useWorld(): World {
  let browser: Promise<Browser> | undefined;
  let started: { server: TestServer; site: HostSite } | undefined;
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    for (const cleanup of cleanups.splice(0).reverse()) await attempt(cleanup);
    const launched = browser;
    browser = undefined;
    if (launched) await attempt(async () => (await launched).close());
    const running = started;
    started = undefined;
    if (running) {
      await attempt(() => running.server.close());
      await attempt(() => running.site.close());
    }
    if (errors.length > 0) throw errors[0];
  });

  // The page object exists before navigation, so its request log sees the page's first request.
  const openTab = async (context: BrowserContext, url: string, beforeLoad?: (page: Page) => unknown) => {
    const tab = new VisitorPage(await context.newPage(), context);
    await beforeLoad?.(tab.page);
    await tab.page.goto(url);
    return tab;
  };

  const world: World = {
    async start(options = {}) {
      if (started) throw new Error('world.start() runs once per test');
      const site = await startHostSite();
      try {
        const server = await startTestServer({
          agents: options.agents ?? 1,
          widget: { allowedOrigins: [site.origin], ...(options.settings ? { settings: options.settings } : {}) },
          // The production presence grace, so a short drop of an agent's link does not flap availability.
          config: { assetsDir: distDir, presenceGraceMs: 10_000, rates: generousRates, demo: options.demo ?? false },
        });
        started = { server, site };
        return started;
      } catch (error) {
        await site.close();
        throw error;
      }
    },
    browser() {
      browser ??= launchChromium();
      return browser;
    },
    async visitor(url, beforeLoad) {
      return openTab(await (await world.browser()).newContext(), url, beforeLoad);
    },
    tab(of, url) {
      return openTab(of.context, url);
    },
    async hub(agent, serverUrl = started?.server.url) {
      if (!serverUrl) throw new Error('start the world (or pass the server URL) before opening the Hub');
      const context = await (await world.browser()).newContext({ viewport: { width: 1280, height: 800 } });
      const hub = new HubPage(await context.newPage(), context);
      await hub.login(serverUrl, agent);
      return hub;
    },
    async scriptedAgent(agent = started?.server.agents[0]) {
      if (!started || !agent) throw new Error('start the world with an agent first');
      const { client } = await agentClient(started.server.url, agent);
      cleanups.push(() => client.close());
      const log = recordSequenced(client);
      await client.connect();
      const messageFrames = () =>
        log.frames.flatMap((frame) =>
          frame.type === 'message' ? [{ body: frame.body, conversationId: frame.conversationId }] : [],
        );
      return {
        client,
        messages: () => messageFrames().map((message) => message.body),
        async received(body) {
          await waitFor(`the agent to receive "${body}"`, () =>
            messageFrames().some((message) => message.body === body),
          );
          return messageFrames().find((message) => message.body === body)!.conversationId;
        },
        async reply(conversationId, body) {
          await client.send({ conversationId, body });
        },
      };
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return world;
}

/**
 * `expect.poll` with the patience a browser test needs on a busy machine: what a user would see
 * within `timeoutMs` (10 s unless a scenario waits on reconnects).
 * @example
 * await eventually(() => visitor.transcript()).toEqual(['visitor: Hi', 'agent: Hello']);
 */
export function eventually<T>(read: () => T | Promise<T>, timeoutMs = 10_000) {
  return expect.poll(read, { timeout: timeoutMs, interval: 50 });
}

/** Saves a PNG of `page` (or of one element) as `test-results/screenshots/<name>.png`. */
export async function saveScreenshot(target: Pick<Page | Locator, 'screenshot'>, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await target.screenshot({ path: `${screenshotsDir}/${name}.png` });
}
