// @vitest-environment happy-dom
/** The destinations Parley ships: a callback, and Google Tag Manager's data layer. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveChatProperties } from '../../src/sdk/api-types.js';
import { callbackDestination, dataLayerDestination } from '../../src/sdk/ready-destinations.js';

type Page = Record<string, unknown>;
const page = () => window as unknown as Page;

const started: LiveChatProperties = { conversation_id: 'c1', conversation_duration: 0, message_id: 'm1' };
const received: LiveChatProperties = {
  agent_id: 'a1',
  agent_name: 'Grace',
  agent_username: 'grace',
  conversation_id: 'c1',
  conversation_duration: 12,
  message_id: 'm2',
  message_body: 'Hi!',
};

afterEach(() => {
  delete page().dataLayer;
  delete page().chatLayer;
});

describe('callbackDestination', () => {
  it('hands each event and its properties to the function, under the name given', () => {
    const callback = vi.fn();
    const destination = callbackDestination(callback, 'my-analytics');
    expect(destination.name).toBe('my-analytics');
    expect(callbackDestination(callback).name).toBe('callback');
    destination.track('Live Chat Message Received', received);
    expect(callback).toHaveBeenCalledExactlyOnceWith('Live Chat Message Received', received);
  });
});

describe('dataLayerDestination', () => {
  it('creates window.dataLayer when the page has none and pushes { event, ...properties }', () => {
    const destination = dataLayerDestination();
    expect(destination.name).toBe('dataLayer');
    destination.track('Live Chat Conversation Started', started);
    expect(page().dataLayer).toEqual([{ event: 'Live Chat Conversation Started', ...started }]);
  });

  it("pushes through the page's own array, so Google Tag Manager's push sees each event", () => {
    const seen: unknown[] = [];
    const layer: unknown[] = [{ 'gtm.start': 1 }];
    // GTM replaces the array's push with its own once it loads.
    layer.push = (...items: unknown[]) => seen.push(...items);
    page().dataLayer = layer;
    dataLayerDestination().track('Live Chat Message Received', received);
    expect(seen).toEqual([{ event: 'Live Chat Message Received', ...received }]);
  });

  it('names every spec property, undefined when it has no value, so no value lingers from an earlier event', () => {
    const destination = dataLayerDestination('chatLayer');
    destination.track('Live Chat Message Received', received);
    destination.track('Live Chat Conversation Started', started);
    const [, second] = page().chatLayer as Record<string, unknown>[];
    expect(Object.keys(second!).sort()).toEqual(['event', ...Object.keys(received)].sort());
    expect(second).toMatchObject({ agent_id: undefined, message_body: undefined, message_id: 'm1' });
    expect(page().dataLayer).toBeUndefined();
  });
});
