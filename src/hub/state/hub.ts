/**
 * The Hub's session: the login page or the console of one login. It logs in and out over HTTP,
 * builds a fresh console store per login, keeps the session for reloads and new tabs, and returns
 * to the login page, with a message, when the session ends (logout here, in another tab, or
 * everywhere; revoked or expired).
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { AgentInfo } from '../../protocol/index.js';
import {
  createClient as createTransportClient,
  type ClientOptions,
  type ParleyClient,
  type WebSocketConstructor,
} from '../../transport/index.js';
import { login, loginMessages, logout, type FetchFunction } from './auth-api.js';
import { createConsoleStore, type ConsoleStore, type SessionEnd } from './console-store.js';
import { clearSession, readSession, writeSession, type StorageLike } from './saved-session.js';
import type { TabChannel, TabMessage } from './tab-channel.js';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

export type HubView = { page: 'login'; notice?: Notice } | { page: 'console'; store: ConsoleStore; agent: AgentInfo };

export interface HubOptions {
  /** The server's origin; in the browser, `location.origin`. */
  url: string;
  fetch: FetchFunction;
  /** In Node, `ws`'s WebSocket; browsers use their own. */
  WebSocket?: WebSocketConstructor;
  /** Where the session is kept between reloads (localStorage); none keeps it in memory only. */
  storage?: StorageLike;
  /** The channel to the other Hub tabs of this browser. */
  tabs?: TabChannel;
  /** Extra transport options (backoff in tests). */
  clientOptions?: Partial<Omit<ClientOptions, 'url' | 'role' | 'token'>>;
  /** Builds the transport client; tests pass a fake. */
  createClient?: (options: ClientOptions) => ParleyClient;
  /** Whether the page has focus at start. */
  focused?: () => boolean;
}

export type LoginResult = { ok: true } | { ok: false; message: string };

export interface Hub {
  readonly view: ReadonlySignal<HubView>;
  /** Opens the console of a session saved by an earlier page or another tab, if any. */
  resume(): void;
  login(email: string, password: string): Promise<LoginResult>;
  /** Logs out this session, or every session of the agent (`everywhere`). */
  logout(options?: { everywhere?: boolean }): Promise<void>;
  dispose(): void;
}

/** What the login page says after a session ended without the agent asking here. */
const endNotices: Record<SessionEnd['reason'], Notice | undefined> = {
  logout: { tone: 'info', text: 'You were logged out from another window or device.' },
  expired: { tone: 'error', text: 'Your session expired. Log in again.' },
  unauthorized: { tone: 'error', text: 'Your session has ended or was revoked. Log in again.' },
  origin: { tone: 'error', text: 'Open the Hub from the chat server’s own address.' },
  version: { tone: 'error', text: 'The Hub was updated. Reload the page.' },
  closed: undefined,
};

/**
 * Creates the Hub's session controller.
 *
 * @example
 * const hub = createHub({ url: location.origin, fetch: window.fetch.bind(window), storage: localStorage });
 * hub.resume();
 * const result = await hub.login('ana@example.com', 'secret');
 * if (hub.view.value.page === 'console') hub.view.value.store.queue.value;
 */
export function createHub(options: HubOptions): Hub {
  const view = signal<HubView>({ page: 'login' });
  const makeClient = options.createClient ?? createTransportClient;
  let current: { store: ConsoleStore; token: string; agent: AgentInfo; stopWatching: () => void } | undefined;
  /** Set while this tab logs out, so the socket closing under it is not news. */
  let loggingOut = false;

  function open(token: string, agent: AgentInfo): void {
    closeConsole();
    const client = makeClient({
      ...options.clientOptions,
      url: options.url,
      role: 'agent',
      token,
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    });
    const store = createConsoleStore({ client, self: agent, focused: options.focused?.() ?? true });
    const stopWatching = store.ended.subscribe((end) => {
      if (end && current?.store === store && !loggingOut) sessionEnded(end);
    });
    current = { store, token, agent, stopWatching };
    view.value = { page: 'console', store, agent };
    void store.start();
  }

  function closeConsole(): void {
    if (!current) return;
    const { store, stopWatching } = current;
    current = undefined;
    stopWatching();
    store.dispose();
  }

  function toLogin(notice?: Notice): void {
    closeConsole();
    view.value = notice ? { page: 'login', notice } : { page: 'login' };
  }

  function sessionEnded(end: SessionEnd): void {
    const token = current?.token;
    if (token !== undefined && readSession(options.storage)?.token === token) clearSession(options.storage);
    toLogin(endNotices[end.reason]);
  }

  function fromOtherTab(message: TabMessage): void {
    if (message.t === 'login' && view.value.page === 'login') return hub.resume();
    if (message.t === 'logout' && current && current.agent.id === message.agentId) {
      // The other tab shares this tab's session (one saved session per browser), or ended them all.
      if (message.everywhere || readSession(options.storage) === undefined) {
        toLogin({ tone: 'info', text: 'You logged out in another tab.' });
      }
    }
  }

  const stopListening = options.tabs?.listen(fromOtherTab);

  const hub: Hub = {
    view,

    resume() {
      const saved = readSession(options.storage);
      if (saved && current?.token !== saved.token) open(saved.token, saved.agent);
    },

    async login(email, password) {
      const outcome = await login(options.url, email.trim(), password, options.fetch);
      if (!outcome.ok) return { ok: false, message: loginMessages[outcome.reason] };
      writeSession(options.storage, { token: outcome.token, agent: outcome.agent });
      open(outcome.token, outcome.agent);
      options.tabs?.post({ t: 'login', agentId: outcome.agent.id });
      return { ok: true };
    },

    async logout({ everywhere = false } = {}) {
      const session = current;
      if (!session) return;
      loggingOut = true;
      try {
        // The other tabs of this browser share the session: they return to login now, before the
        // server closes their sockets.
        if (readSession(options.storage)?.token === session.token || everywhere) clearSession(options.storage);
        options.tabs?.post({ t: 'logout', agentId: session.agent.id, everywhere });
        const confirmed = await logout(options.url, session.token, { everywhere }, options.fetch);
        if (current !== session) return;
        toLogin(
          confirmed
            ? { tone: 'info', text: everywhere ? 'You logged out on all your devices.' : 'You logged out.' }
            : {
                tone: 'error',
                text: 'You are logged out here, but the server could not be reached to end the session.',
              },
        );
      } finally {
        loggingOut = false;
      }
    },

    dispose() {
      stopListening?.();
      closeConsole();
    },
  };
  return hub;
}
