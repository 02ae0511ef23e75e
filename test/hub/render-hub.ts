/**
 * Renders the whole Hub (real session controller, store and components) around a FakeClient and a
 * fake fetch, logged in as Anna, so component tests act and look as an agent would.
 */
import { act, render, type RenderResult } from '@testing-library/preact';
import { h } from 'preact';
import type { AgentInfo, ConversationSummary } from '../../src/protocol/index.js';
import type { FetchFunction } from '../../src/hub/state/auth-api.js';
import type { ConsoleStore } from '../../src/hub/state/console-store.js';
import { createHub, type Hub } from '../../src/hub/state/hub.js';
import { App } from '../../src/hub/ui/app.js';
import { FakeClient } from './fake-client.js';

export const anna: AgentInfo = { id: 'agent-anna', name: 'Anna' };
export const ben: AgentInfo = { id: 'agent-ben', name: 'Ben' };
export const cara: AgentInfo = { id: 'agent-cara', name: 'Cara' };
export const dan: AgentInfo = { id: 'agent-dan', name: 'Dan' };

export interface FakeResponse {
  status: number;
  body?: unknown;
}

export type FakeFetch = FetchFunction & { calls: { url: string; body: unknown; headers: Record<string, string> }[] };

/** A fetch that answers by path; `network` makes every call fail like a dropped network. */
export function fakeFetch(
  routes: Record<string, (body: Record<string, unknown>) => FakeResponse | 'network'>,
): FakeFetch {
  const calls: FakeFetch['calls'] = [];
  const fetch = (url: string, init: { body: string; headers: Record<string, string> }) => {
    const body = JSON.parse(init.body) as Record<string, unknown>;
    calls.push({ url, body, headers: init.headers });
    const route = routes[new URL(url).pathname];
    const response = route ? route(body) : { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
    if (response === 'network') return Promise.reject(new TypeError('Failed to fetch'));
    return Promise.resolve({
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      json: () => Promise.resolve(response.body),
    });
  };
  return Object.assign(fetch, { calls });
}

/** The server's answers to a good login and to a logout. */
export const serverRoutes = (agent: AgentInfo = anna) => ({
  '/v1/agent/login': () => ({ status: 200, body: { token: `a_token_for_${agent.id}`, agent } }),
  '/v1/agent/logout': () => ({ status: 200, body: { ended: 1 } }),
});

export interface RenderedHub {
  hub: Hub;
  view: RenderResult;
  fetch: FakeFetch;
  /** The clients the Hub created, one per login; `client` is the latest. */
  clients: FakeClient[];
  readonly client: FakeClient;
  readonly store: ConsoleStore;
}

/** Renders the Hub on its login page. */
export function renderHub(fetch: FakeFetch = fakeFetch(serverRoutes())): RenderedHub {
  const clients: FakeClient[] = [];
  const hub = createHub({
    url: 'http://hub.test',
    fetch,
    createClient: () => {
      const client = new FakeClient();
      clients.push(client);
      return client;
    },
    focused: () => true,
  });
  const view = render(h(App, { hub }));
  return {
    hub,
    view,
    fetch,
    clients,
    get client() {
      return clients.at(-1)!;
    },
    get store() {
      const current = hub.view.value;
      if (current.page !== 'console') throw new Error('not logged in');
      return current.store;
    },
  };
}

/**
 * Renders the Hub logged in as `self`, welcomed with `conversations`, online, with `presence`
 * (default: just `self`, online) and an empty queue.
 *
 * @example
 * const { view, client, store } = await renderConsole({ conversations: [chat.summary(anna)] });
 */
export async function renderConsole(
  options: {
    self?: AgentInfo;
    conversations?: ConversationSummary[];
    presence?: ConsoleStore['presence']['value'];
    /** Sets answers on the new client before its welcome arrives. */
    prepare?: (client: FakeClient) => void;
  } = {},
): Promise<RenderedHub> {
  const self = options.self ?? anna;
  const rendered = renderHub(fakeFetch(serverRoutes(self)));
  await act(async () => {
    await rendered.hub.login('anna@example.com', 'correct horse battery');
  });
  const { client } = rendered;
  options.prepare?.(client);
  await act(() => {
    client.welcome(self, options.conversations ?? []);
    client.emit('agent.status', { type: 'agent.status', status: 'online' });
    client.emit('presence', { type: 'presence', agents: options.presence ?? [{ ...self, status: 'online' }] });
    client.emit('queue', { type: 'queue', items: [] });
  });
  return rendered;
}
