/**
 * What the Segment destination's tests share: a real chat on the page (its server stubbed) whose
 * `identify` calls are seen through a Parley destination, analytics-next without persistence or
 * network, and an analytics-next destination that records the events it gets.
 */
import { Analytics, type Plugin, type SegmentEvent } from '@segment/analytics-next';
import { vi } from 'vitest';
import type { ParleyApi, VisitorIdentity } from '../../../src/sdk/api-types.js';
import { createChatIn } from '../../../src/sdk/chat.js';
import type { ChatEnvironment } from '../../../src/sdk/environment.js';
import { fakeUi } from '../../sdk/support/fake-ui.js';

export const widgetId = '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70';
export const server = 'https://chat.example.com';

/** The widget's environment with its server stubbed: the config answers, nothing else is asked. */
export function stubbedEnvironment(): ChatEnvironment {
  return {
    fetch: vi.fn(() => Promise.resolve(new Response(JSON.stringify({ online: true, settings: {} }), { status: 200 }))),
    storage: localStorage,
    ui: fakeUi(),
  };
}

/** A real chat, and every identity that reached its `identify` (seen by a destination of its own). */
export async function chatOnPage(): Promise<{ chat: ParleyApi; identified: VisitorIdentity[] }> {
  const chat = createChatIn({ widgetId, server }, stubbedEnvironment());
  const identified: VisitorIdentity[] = [];
  await chat.use({ name: 'probe', track: () => undefined, identify: (traits) => identified.push(traits) });
  return { chat, identified };
}

/** analytics-next as a page would create it, minus storage and the Segment.io destination. */
export function newAnalytics(): Analytics {
  return new Analytics({ writeKey: 'test' }, { disableClientPersistence: true });
}

/** An analytics-next destination that records every event it gets. */
export function recordingPlugin(name: string): Plugin & { events: SegmentEvent[] } {
  const events: SegmentEvent[] = [];
  const record = (ctx: Parameters<NonNullable<Plugin['track']>>[0]) => (events.push(ctx.event), ctx);
  return {
    name,
    type: 'destination',
    version: '1.0.0',
    events,
    isLoaded: () => true,
    load: () => Promise.resolve(),
    track: record,
    identify: record,
  };
}
