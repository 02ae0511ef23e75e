/**
 * Visitors' browser tabs for integration tests: the real SDK (createChatIn) on a happy-dom page,
 * talking to the real test server with Node's fetch and the `ws` WebSocket, with its events,
 * requests and new-message notifications recorded.
 */
import { WebSocket } from 'ws';
import { createChatIn } from '../../../src/sdk/chat.js';
import { eventNames } from '../../../src/sdk/api.js';
import type { ChatOptions, ParleyApi, ParleyEventName, ParleyEvents } from '../../../src/sdk/api-types.js';
import type { ChatEnvironment } from '../../../src/sdk/environment.js';
import type { LockManagerLike } from '../../../src/transport/index.js';
import type { WidgetUi } from '../../../src/sdk/widget-ui.js';
import type { ChatController, ChatViewState } from '../../../src/sdk/types.js';
import { afterEach, beforeEach } from 'vitest';
import type { ParleyClient } from '../../../src/transport/index.js';
import {
  agentClient,
  startTestServer,
  waitFor,
  type TestServer,
  type TestServerOptions,
} from '../../server/harness.js';
import { installPage, type Page } from './dom.js';
import { fakeUi, type FakeUi } from './fake-ui.js';

export type RecordedEvent = { [E in ParleyEventName]: { name: E; payload: ParleyEvents[E] } }[ParleyEventName];

export interface Tab {
  chat: ParleyApi;
  /** The recording stand-in UI (unused when the tab renders the real widget). */
  ui: FakeUi;
  /** Every event the page's listeners got, in order. */
  events: RecordedEvent[];
  /** Payloads of one event, in order. */
  named<E extends ParleyEventName>(name: E): ParleyEvents[E][];
  /** Requests the SDK made over HTTP: "METHOD path". */
  requests: string[];
  /** WebSocket connections the SDK opened. */
  sockets: string[];
  /** New-message sounds this tab played. */
  notifications: number;
  /** What the widget UI renders. */
  state(): ChatViewState;
  controller(): ChatController;
}

export interface TabOptions {
  server: string;
  widgetId: string;
  chat?: Partial<ChatOptions>;
  /** Shared by the tabs of one browser. */
  locks?: LockManagerLike;
  storage?: Storage;
  /** The real widget UI instead of the recording stand-in. */
  ui?: WidgetUi;
}

const nothingShown: ChatViewState = {
  open: false,
  visible: false,
  online: false,
  consent: 'pending',
  connection: 'idle',
  messages: [],
  agentTyping: false,
  unread: 0,
  settings: {},
  locale: 'en',
  rtl: false,
};

/**
 * Opens a tab: creates the chat as a page would and records everything it does.
 *
 * @example
 * const tab = openTab({ server: server.url, widgetId: server.widgetId });
 * await tab.chat.sendMessage('Hello');
 */
export function openTab(options: TabOptions): Tab {
  const ui = fakeUi();
  let controller: ChatController | undefined;
  const given: WidgetUi = options.ui ?? ui;
  const recordingUi: WidgetUi = {
    ...given,
    mountLauncher: (root, launcherController, onInterest) => {
      controller = launcherController;
      return given.mountLauncher(root, launcherController, onInterest);
    },
    loadChatBox: () =>
      given
        .loadChatBox()
        .then((mount) => (root, boxController) => ((controller = boxController), mount(root, boxController))),
  };
  const requests: string[] = [];
  const sockets: string[] = [];
  const events: RecordedEvent[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(url);
    }
  }
  const tab: Tab = {
    chat: undefined as unknown as ParleyApi,
    ui,
    events,
    named: (name) => events.filter((event) => event.name === name).map((event) => event.payload as never),
    requests,
    sockets,
    notifications: 0,
    // The launcher (which hands over the controller) waits for the config; until then, nothing shows.
    state: () => controller?.getState() ?? nothingShown,
    controller: () => {
      if (!controller) throw new Error('the widget has not drawn its launcher or chat box yet');
      return controller;
    },
  };
  const env: ChatEnvironment = {
    fetch: (url, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(url, init);
    },
    WebSocket: RecordingWebSocket,
    storage: options.storage ?? localStorage,
    BroadcastChannel,
    ...(options.locks ? { locks: options.locks } : {}),
    notify: () => (tab.notifications += 1),
    ui: recordingUi,
  };
  tab.chat = createChatIn({ widgetId: options.widgetId, server: options.server, ...options.chat }, env);
  for (const name of eventNames) {
    void tab.chat.on(name, (payload: unknown) => events.push({ name, payload } as RecordedEvent));
  }
  return tab;
}

/** Keys the SDK wrote to a storage, with their prefix. */
export function storedKeys(storage: Storage = localStorage): string[] {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index++) keys.push(storage.key(index)!);
  return keys.sort();
}

/** Lets pending promise callbacks and timers of `ms` run. */
export function pause(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sets the widget's settings in the server's store (the config endpoint caches 15 s for browsers, not here). */
export async function setWidgetSettings(server: TestServer, settings: Record<string, unknown>): Promise<void> {
  await server.server.store.db
    .updateTable('widgets')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', server.widgetId)
    .execute();
}

/**
 * The set-up the SDK's integration tests share: a page at `path`, a real server (with widget
 * `settings` and server `options` if given) and a connected agent; after each test, every tab the
 * test opened is destroyed and everything is closed.
 */
export function liveWorld(path: string, settings?: Record<string, unknown>, options?: TestServerOptions) {
  const world = { tabs: [] as Tab[] } as { page: Page; server: TestServer; agent: ParleyClient; tabs: Tab[] };
  beforeEach(async () => {
    world.page = installPage(path);
    world.server = await startTestServer(options);
    if (settings) await setWidgetSettings(world.server, settings);
    world.agent = (await agentClient(world.server.url, world.server.agents[0]!)).client;
    await world.agent.connect();
  });
  afterEach(async () => {
    for (const tab of world.tabs.splice(0)) tab.chat.destroy();
    world.agent.close();
    await world.server.close();
    await world.page.close();
  });
  return world;
}

/** What `holdConversation` sent: the visitor's two messages and the agent's reply. */
export interface HeldConversation {
  conversationId: string;
  first: { id: string; body: string };
  reply: { id: string; body: string };
  second: { id: string; body: string };
}

/**
 * A whole conversation from the visitor's tab: a first message (the start), the agent joins and
 * replies, a second message, then the agent ends it. It waits for each step's Live Chat event in
 * the tab, so the four Live Chat events have all fired once it returns.
 *
 * @example
 * const tab = openTab({ server: world.server.url, widgetId: world.server.widgetId });
 * const { conversationId, reply } = await holdConversation(world, tab);
 */
export async function holdConversation(world: { agent: ParleyClient }, tab: Tab): Promise<HeldConversation> {
  const first = { ...(await tab.chat.sendMessage('Hello, I need help')), body: 'Hello, I need help' };
  const conversationId = first.conversationId;
  await waitFor('an agent to join', () => tab.state().conversation?.status === 'active');
  const reply = { ...(await world.agent.send({ conversationId, body: 'Hi, I am here' })), body: 'Hi, I am here' };
  await waitFor('the reply', () => tab.named('Live Chat Message Received').length === 1);
  const second = { ...(await tab.chat.sendMessage('Great, thanks')), body: 'Great, thanks' };
  await waitFor('the second message', () => tab.named('Live Chat Message Sent').length === 2);
  await world.agent.request({ type: 'conversation.end', conversationId });
  await waitFor('the end', () => tab.named('Live Chat Conversation Ended').length === 1);
  return { conversationId, first, reply, second };
}
