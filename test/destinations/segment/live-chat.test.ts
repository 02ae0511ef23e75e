/**
 * The Live Chat events into Segment, end to end: the real SDK against the real server with a
 * scripted agent, real analytics-next with the Parley destination, and (with AnalyticsBrowser) the
 * demo server's Segment API stub as Segment. With "Record live chat events" on, each event becomes
 * one `analytics.track` with the spec properties, marked so that it never comes back into the
 * plugin; with it off, none does. Nothing goes anywhere but the local server.
 */
import { Analytics, AnalyticsBrowser, type Context, type SegmentEvent } from '@segment/analytics-next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parleyDestination, type ParleyDestinationPlugin } from '../../../destinations/segment/index.js';
import { pluginVersion } from '../../../destinations/segment/plugin.js';
import type { LiveChatProperties } from '../../../src/sdk/api-types.js';
import { parleyFunction } from '../../../src/sdk/queue.js';
import { waitFor } from '../../server/harness.js';
import { holdConversation, liveWorld, openTab, pause, type Tab } from '../../sdk/support/world.js';
import { recordingPlugin } from './support.js';

const liveChatTracks = (events: SegmentEvent[]) =>
  events.filter((event) => event.type === 'track' && event.event?.startsWith('Live Chat '));

/** The Live Chat events the page's own listeners got, as Segment track calls carry them. */
const expectedTracks = (tab: Tab) =>
  tab.events
    .filter((event) => event.name.startsWith('Live Chat '))
    .map((event) => ({ event: event.name, properties: event.payload as LiveChatProperties }));

describe('Live Chat events into Segment', () => {
  const world = liveWorld('/pricing', undefined, { config: { demo: true } });
  let tab: Tab;

  beforeEach(() => {
    tab = openTab({ server: world.server.url, widgetId: world.server.widgetId });
    world.tabs.push(tab);
    // The page's widget has loaded: the destination finds it as window.Parley.
    (window as unknown as { Parley: unknown }).Parley = parleyFunction(tab.chat);
  });
  afterEach(() => {
    delete (window as unknown as { Parley?: unknown }).Parley;
    vi.restoreAllMocks();
  });

  /** analytics-next with the destination (a `track` spy on it, to catch any loop back) and a recorder. */
  async function analyticsWith(settings: Parameters<typeof parleyDestination>[0], writeKey = 'test') {
    const analytics = new Analytics({ writeKey }, { disableClientPersistence: true });
    const plugin = parleyDestination(settings);
    const backIntoPlugin = vi.fn((ctx: Context) => ctx);
    (plugin as ParleyDestinationPlugin & { track: typeof backIntoPlugin }).track = backIntoPlugin;
    const recorder = recordingPlugin('Recorder');
    const track = vi.spyOn(analytics, 'track');
    await analytics.register(plugin, recorder);
    await waitFor('the destination to load', () => plugin.isLoaded());
    return { analytics, recorder, track, backIntoPlugin };
  }

  it('records each Live Chat event once, with the spec properties, never back into the plugin', async () => {
    const { analytics, recorder, track, backIntoPlugin } = await analyticsWith({ recordLiveChatEvents: true });
    // A broken destination registered first stops neither the widget nor Segment's.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await tab.chat.use({
      name: 'broken',
      track: () => {
        throw new Error('broken');
      },
    });

    const { conversationId, reply } = await holdConversation(world, tab);
    await analytics.track('Pricing Viewed', { plan: 'pro' });
    await pause(300);

    const expected = expectedTracks(tab);
    expect(expected.map((event) => event.event)).toEqual([
      'Live Chat Conversation Started',
      'Live Chat Message Sent',
      'Live Chat Message Received',
      'Live Chat Message Sent',
      'Live Chat Conversation Ended',
    ]);
    const recorded = liveChatTracks(recorder.events);
    expect(recorded.map(({ event, properties }) => ({ event, properties }))).toEqual(expected);
    expect(track).toHaveBeenCalledTimes(expected.length + 1);
    for (const event of recorded) {
      expect(event.integrations).toEqual({ Parley: false });
      expect(event.context?.integration).toEqual({ name: 'Parley', version: pluginVersion });
    }
    const received = recorded.find((event) => event.event === 'Live Chat Message Received')!;
    expect(received.properties).toEqual({
      agent_id: world.server.agents[0]!.id,
      agent_name: expect.any(String) as unknown,
      agent_username: expect.any(String) as unknown,
      conversation_id: conversationId,
      conversation_duration: expect.any(Number) as unknown,
      message_id: reply.id,
      message_body: reply.body,
    });
    // The plugin saw the page's own track, and none of the Live Chat events it recorded.
    expect(backIntoPlugin.mock.calls.map(([ctx]) => ctx.event.event)).toEqual(['Pricing Viewed']);
  });

  it('records once per Segment source, however many times a source adds the destination', async () => {
    const first = await analyticsWith({ recordLiveChatEvents: true });
    const again = await analyticsWith({ listen: true });
    const otherSource = await analyticsWith({ listen: true }, 'other-source');
    await holdConversation(world, tab);
    await pause(300);
    const expected = expectedTracks(tab);
    const tracked = (recorder: { events: SegmentEvent[] }) =>
      liveChatTracks(recorder.events).map(({ event, properties }) => ({ event, properties }));
    expect(tracked(first.recorder)).toEqual(expected);
    expect(tracked(again.recorder)).toEqual([]);
    expect(tracked(otherSource.recorder)).toEqual(expected);
  });

  it('records nothing with "Record live chat events" off (the default)', async () => {
    const { recorder, track } = await analyticsWith({});
    await holdConversation(world, tab);
    await pause(300);
    expect(tab.named('Live Chat Conversation Ended')).toHaveLength(1);
    expect(liveChatTracks(recorder.events)).toEqual([]);
    expect(track).not.toHaveBeenCalled();
  });

  it('delivers identify and the Live Chat events to the local Segment API stub, once each, and nothing elsewhere', async () => {
    const fetched = vi.spyOn(globalThis, 'fetch');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const apiHost = `${new URL(world.server.url).host}/demo/segment/v1`;
    const plugin = parleyDestination({ listen: true });
    const [analytics] = await AnalyticsBrowser.load(
      {
        writeKey: 'test',
        cdnSettings: {
          integrations: { 'Segment.io': { apiKey: 'test', apiHost, protocol: 'http' } },
          metrics: { sampleRate: 0 },
        },
        plugins: [plugin],
      },
      { integrations: { 'Segment.io': { apiHost, protocol: 'http' } }, disableClientPersistence: true },
    );
    await waitFor('the destination to load', () => plugin.isLoaded());
    await analytics.identify('u-1', { email: 'ada@example.com', name: 'Ada' });
    await holdConversation(world, tab);

    type Stubbed = SegmentEvent & { type: string };
    const stubbed = async () =>
      ((await (await fetch(`${world.server.url}/demo/segment/events`)).json()) as { events: Stubbed[] }).events;
    await waitFor('Segment to get the five Live Chat events', async () => liveChatTracks(await stubbed()).length >= 5);
    await pause(300);
    const events = await stubbed();
    expect(events.filter((event) => event.type === 'identify')).toEqual([
      expect.objectContaining({ userId: 'u-1', traits: { email: 'ada@example.com', name: 'Ada' } }),
    ]);
    expect(liveChatTracks(events).map(({ event, properties }) => ({ event, properties }))).toEqual(expectedTracks(tab));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('segment stub: track "Live Chat Message Received"'));
    // Every request went to the local server: the widget's and analytics.js's alike.
    const urls = fetched.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
    expect(urls.filter((url) => url.includes('/demo/segment/v1/'))).not.toEqual([]);
    expect(urls.filter((url) => !url.startsWith(world.server.url))).toEqual([]);
  });
});
