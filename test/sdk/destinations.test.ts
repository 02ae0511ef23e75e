/**
 * Destinations (`use`) against the real server, with a scripted agent: every registered
 * destination gets each Live Chat event once, in order, with the spec properties, whether it was
 * registered through the snippet's queue or on the loaded API; one that throws or rejects is
 * logged once with its name and stops neither the widget nor the others.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Destination, LiveChatEventName, LiveChatProperties, VisitorIdentity } from '../../src/sdk/api-types.js';
import { drainQueue, type QueuedCall } from '../../src/sdk/queue.js';
import { callbackDestination } from '../../src/sdk/ready-destinations.js';
import { holdConversation, liveWorld, openTab, pause, type Tab } from './support/world.js';

type Tracked = [LiveChatEventName, LiveChatProperties];

/** A destination that records what it gets, as a class instance whose methods use `this`. */
class RecordingDestination implements Destination {
  readonly tracked: Tracked[] = [];
  readonly traits: VisitorIdentity[] = [];
  constructor(readonly name: string) {}
  track(event: LiveChatEventName, properties: LiveChatProperties) {
    this.tracked.push([event, properties]);
  }
  identify(traits: VisitorIdentity) {
    this.traits.push(traits);
  }
}

/** The Live Chat events the page's own listeners got, in order: what every destination must get too. */
const liveChatEvents = (tab: Tab): Tracked[] =>
  tab.events
    .filter((event) => event.name.startsWith('Live Chat '))
    .map((event) => [event.name as LiveChatEventName, event.payload as LiveChatProperties]);

describe('destinations', () => {
  const world = liveWorld('/pricing');
  let consoleError: MockInstance<typeof console.error>;

  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    delete (window as { dataLayer?: unknown }).dataLayer;
  });
  afterEach(() => vi.restoreAllMocks());

  const open = () => {
    const tab = openTab({ server: world.server.url, widgetId: world.server.widgetId });
    world.tabs.push(tab);
    return tab;
  };

  it('gives every destination each Live Chat event once, in order, with the spec properties', async () => {
    const tab = open();
    const recorder = new RecordingDestination('recorder');
    const called: Tracked[] = [];
    const throwing = {
      name: 'throwing',
      track: vi.fn((..._call: Tracked) => {
        throw new Error('a broken destination');
      }),
    };
    const rejecting = {
      name: 'rejecting',
      track: vi.fn((..._call: Tracked) => Promise.reject(new Error('its server is down'))),
    };
    // The throwing and rejecting ones come first: the later ones must still get everything.
    await tab.chat.use(throwing);
    await tab.chat.use(rejecting);
    await tab.chat.use(recorder);
    await tab.chat.use(callbackDestination((event, properties) => called.push([event, properties])));
    await tab.chat.use('dataLayer');

    const { conversationId, first, reply, second } = await holdConversation(world, tab);
    await pause(200);

    const expected = liveChatEvents(tab);
    expect(expected.map(([event]) => event)).toEqual([
      'Live Chat Conversation Started',
      'Live Chat Message Sent',
      'Live Chat Message Received',
      'Live Chat Message Sent',
      'Live Chat Conversation Ended',
    ]);
    expect(recorder.tracked).toEqual(expected);
    expect(called).toEqual(expected);
    expect(throwing.track.mock.calls).toEqual(expected);
    expect(rejecting.track.mock.calls).toEqual(expected);

    // The spec properties, with what has no value yet left out (no agent at the start).
    const agent = world.server.agents[0]!;
    const agentProperties = {
      agent_id: agent.id,
      agent_name: expect.any(String) as unknown,
      agent_username: expect.any(String) as unknown,
    };
    expect(recorder.tracked[0]).toEqual([
      'Live Chat Conversation Started',
      { conversation_id: conversationId, conversation_duration: 0, message_id: first.id },
    ]);
    expect(recorder.tracked[2]).toEqual([
      'Live Chat Message Received',
      {
        ...agentProperties,
        conversation_id: conversationId,
        conversation_duration: expect.any(Number) as unknown,
        message_id: reply.id,
        message_body: reply.body,
      },
    ]);
    expect(recorder.tracked[4]![1]).toMatchObject({ ...agentProperties, message_id: second.id });
    expect(recorder.tracked[4]![1]).not.toHaveProperty('message_body');

    // Google Tag Manager's data layer: created by the destination, one push per event.
    const layer = (window as { dataLayer?: Record<string, unknown>[] }).dataLayer!;
    expect(layer.map((entry) => ({ ...entry }))).toEqual(
      expected.map(([event, properties]) => ({ event, ...properties })),
    );

    // Each destination got its own copy: one that changes the properties changes nobody else's.
    expect(recorder.tracked[0]![1]).not.toBe(called[0]![1]);

    // Logged once each, with their names, however often they failed.
    expect(consoleError).toHaveBeenCalledTimes(2);
    expect(consoleError.mock.calls.map(([message]) => message as unknown)).toEqual([
      expect.stringContaining('destination "throwing" failed'),
      expect.stringContaining('destination "rejecting" failed'),
    ]);
    // And the widget carries on.
    expect(tab.state().conversation?.status).toBe('ended');
  });

  it('takes destinations queued before the widget loaded, in the queue order, before any event', async () => {
    const tab = open();
    const recorder = new RecordingDestination('queued');
    const settled: string[] = [];
    const call = (...args: unknown[]): QueuedCall => [
      args,
      () => settled.push(`${String(args[0])} ✓`),
      (error) => settled.push(`${String(args[0])} ✗ ${(error as { code: string }).code}`),
    ];
    const tracked: Tracked[] = [];
    // As the page-api drains the snippet's queue: synchronously, before the controller starts.
    drainQueue(
      [
        call('use', recorder),
        call('use', (event: LiveChatEventName, properties: LiveChatProperties) => tracked.push([event, properties])),
        call('use', 'dataLayer'),
        call('use', { name: 'queued', track: () => undefined }),
        call('use', 'Google Tag Manager'),
      ],
      tab.chat,
    );
    await holdConversation(world, tab);
    await pause(200);
    expect(settled).toEqual(['use ✓', 'use ✓', 'use ✓', 'use ✗ invalid_argument', 'use ✗ invalid_argument']);
    expect(recorder.tracked).toEqual(liveChatEvents(tab));
    expect(tracked).toEqual(liveChatEvents(tab));
    expect((window as { dataLayer?: unknown[] }).dataLayer).toHaveLength(5);
  });

  it('tells destinations who the visitor is, without the identity token, and the latest to a later one', async () => {
    const tab = open();
    const early = new RecordingDestination('early');
    await tab.chat.use(early);
    await tab.chat.identify({ email: 'ada@example.com', name: 'Ada', userId: 'u-1', plan: 'pro' }, 'x'.repeat(32));
    await tab.chat.identify({ email: 'not-an-email' }).catch(() => undefined);
    await tab.chat.identify({ email: 'grace@example.com' });
    const late = new RecordingDestination('late');
    await tab.chat.use(late);
    await pause(50);

    expect(early.traits).toEqual([
      { email: 'ada@example.com', name: 'Ada', userId: 'u-1', plan: 'pro' },
      { email: 'grace@example.com' },
    ]);
    expect(late.traits).toEqual([{ email: 'grace@example.com' }]);
    // A destination without identify() is fine.
    await expect(tab.chat.use({ name: 'track-only', track: () => undefined })).resolves.toBeUndefined();
  });
});
