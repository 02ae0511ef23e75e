/**
 * Scenario 9: a Segment customer's page with real analytics-next and the Parley destination with
 * "Record live chat events" on, and no Parley snippet (the destination loads the widget). The
 * server's Segment API stub receives the page's identify and, for a chat with an agent in the Hub,
 * each of the four Live Chat events exactly once, with the spec's properties and the Parley
 * integration in their context. Every request the page makes goes to the loopback interface.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { StubbedEvent } from '../../src/server/http/segment-stub.js';
import { storedLogOf, type TestServer } from '../server/harness.js';
import { describeInChromium } from './support/chromium.js';
import { segmentPage } from './support/site.js';
import { eventually, useWorld } from './support/world.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** In the order they happen in this chat. */
const liveChatEvents = [
  'Live Chat Conversation Started',
  'Live Chat Message Sent',
  'Live Chat Message Received',
  'Live Chat Conversation Ended',
] as const;

/** Once the last event arrived, how long the stub is watched for a late duplicate. */
const duplicateWatchMs = 2_000;

/** What the Segment API stub received, oldest first. */
async function receivedBySegment(server: TestServer): Promise<StubbedEvent[]> {
  const response = await fetch(`${server.url}/demo/segment/events`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: StubbedEvent[] }).events;
}

/** Each call as `identify` or `track <event>`, sorted: parallel requests may arrive in any order. */
const callsOf = (events: StubbedEvent[]) =>
  events.map((event) => (event.type === 'track' ? `track ${String(event.event)}` : event.type)).sort();

/** The one conversation, its two messages and its agent, as the server stored them. */
async function storedChat(server: TestServer) {
  const db = server.server.store.db;
  const agent = await db.selectFrom('agents').select(['id', 'name', 'username']).executeTakeFirstOrThrow();
  const conversation = await db
    .selectFrom('conversations')
    .select(['id', 'created_at', 'ended_at'])
    .executeTakeFirstOrThrow();
  const messages = await storedLogOf(db, conversation.id)
    .select(['id', 'author_role', 'body'])
    .where('kind', '=', 'message')
    .orderBy('seq')
    .execute();
  return { agent, conversation, messages };
}

describeInChromium('the Segment destination in Chromium', () => {
  const world = useWorld();

  it('sends identify and each Live Chat event once, with the spec properties, to the Segment API', async () => {
    const { server, site } = await world.start({ agents: 0, demo: true });
    const agent = await server.addAgent({ name: 'Ada Agent' });
    const hub = await world.hub(agent);
    const consoleErrors: string[] = [];
    const visitor = await world.visitor(
      site.serve('/shop.html', segmentPage({ server: server.url, widgetId: server.widgetId })),
      (page) => {
        page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
        page.on('pageerror', (error) => consoleErrors.push(error.message));
      },
    );
    // No snippet on the page: the launcher shows because the destination loaded the widget.
    await visitor.launcher.waitFor();

    const traits = { email: 'grace@example.com', name: 'Grace Hopper', plan: 'pro' };
    await visitor.page.evaluate(
      (given) =>
        (window as unknown as { analytics: { identify(...a: unknown[]): unknown } }).analytics.identify(
          'user-42',
          given,
        ),
      traits,
    );
    await eventually(async () => callsOf(await receivedBySegment(server))).toEqual(['identify']);
    const [identify] = await receivedBySegment(server);
    expect(identify).toMatchObject({ type: 'identify', userId: 'user-42', traits });
    // The destination told the widget who the visitor is: a destination registered on the widget
    // now gets the latest identity at once.
    const widgetIdentity = await visitor.page.evaluate(
      () =>
        new Promise((resolve) =>
          (window as unknown as { Parley: (...a: unknown[]) => unknown }).Parley('use', {
            name: 'identity-probe',
            track() {},
            identify: resolve,
          }),
        ),
    );
    expect(widgetIdentity).toEqual({ email: traits.email, name: traits.name, userId: 'user-42' });

    // A chat: the visitor writes, the agent answers in the Hub and ends it.
    await visitor.openChat();
    await visitor.send('Hello, where is my parcel?');
    const sentAt = Date.now();
    await hub.chatLinks.first().waitFor();
    await hub.openChat();
    await hub.page.locator('.visitor-panel').getByText(traits.email).waitFor();
    await hub.send('It left the warehouse today.');
    await eventually(() => visitor.transcript()).toEqual([
      'visitor: Hello, where is my parcel?',
      'agent: It left the warehouse today.',
    ]);
    // Let the chat last over a second, so its duration in seconds says something.
    await visitor.page.waitForTimeout(Math.max(0, sentAt + 1_200 - Date.now()));
    await hub.page.getByRole('button', { name: 'End chat' }).click();
    await hub.page.getByRole('alertdialog').getByRole('button', { name: 'End chat' }).click();
    await visitor.box.getByRole('group', { name: /How was this chat/ }).waitFor();

    const expectedCalls = ['identify', ...liveChatEvents.map((event) => `track ${event}`)].sort();
    await eventually(async () => callsOf(await receivedBySegment(server))).toEqual(expectedCalls);
    // Nothing arrives twice, late either.
    await visitor.page.waitForTimeout(duplicateWatchMs);
    const received = await receivedBySegment(server);
    expect(callsOf(received)).toEqual(expectedCalls);

    const stored = await storedChat(server);
    const { conversation, messages } = stored;
    const [sent, reply] = messages;
    expect(messages.map((message) => `${message.author_role}: ${message.body}`)).toEqual([
      'visitor: Hello, where is my parcel?',
      'agent: It left the warehouse today.',
    ]);
    const tracked = (name: string) => received.find((event) => event.event === name)!;
    const properties = (name: string) => tracked(name).properties as Record<string, unknown>;
    // The agent has a username, so every event that names the agent carries it.
    expect(stored.agent).toMatchObject({ id: agent.id, name: 'Ada Agent' });
    expect(stored.agent.username).toMatch(/\w/);
    const agentProperties = {
      agent_id: agent.id,
      agent_name: 'Ada Agent',
      agent_username: stored.agent.username,
    };

    // Started is the visitor's first message: no agent yet, and no time has passed.
    expect(properties('Live Chat Conversation Started')).toEqual({
      conversation_id: conversation.id,
      conversation_duration: 0,
      message_id: sent!.id,
    });
    expect(properties('Live Chat Message Sent')).toEqual({
      conversation_id: conversation.id,
      conversation_duration: 0,
      message_id: sent!.id,
      message_body: 'Hello, where is my parcel?',
    });
    expect(properties('Live Chat Message Received')).toEqual({
      ...agentProperties,
      conversation_id: conversation.id,
      conversation_duration: expect.any(Number) as unknown,
      message_id: reply!.id,
      message_body: 'It left the warehouse today.',
    });
    expect(properties('Live Chat Conversation Ended')).toEqual({
      ...agentProperties,
      conversation_id: conversation.id,
      conversation_duration: expect.any(Number) as unknown,
      message_id: reply!.id,
    });
    // Whole seconds since the start, growing in the chat's order; at the end, as long as the server
    // says the chat lasted (within the second it rounds off).
    const durations = liveChatEvents.map((name) => properties(name).conversation_duration as number);
    for (const duration of durations) expect(Number.isInteger(duration) && duration >= 0).toBe(true);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    const storedSeconds = (conversation.ended_at! - conversation.created_at) / 1000;
    expect(durations[3]).toBeGreaterThanOrEqual(1);
    expect(Math.abs(durations[3]! - storedSeconds)).toBeLessThan(1);

    // Each is the destination's own track call: named in the context, and kept from the plugin.
    for (const name of liveChatEvents) {
      expect(tracked(name)).toMatchObject({
        type: 'track',
        userId: 'user-42',
        integrations: { Parley: false },
        context: { integration: { name: 'Parley', version: packageVersion } },
      });
    }
    // analytics-next stamps each call when it is made: in the chat's order.
    const stamps = liveChatEvents.map((name) => Date.parse(String(tracked(name).timestamp)));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));

    // Everything came from the loopback interface: analytics-next, the destination, the widget, Segment's API.
    expect(visitor.requestsTo(/^\/demo\/segment\/cdn\/analytics-next\/bundles\//).length).toBeGreaterThan(0);
    expect(visitor.requestsTo(/^\/destinations\/segment\.js$/)).toHaveLength(1);
    expect(visitor.requestsTo(/^\/demo\/segment\/v1\/[it]$/)).toHaveLength(5);
    expect(visitor.requests.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
