// @vitest-environment happy-dom
/**
 * Consent with real analytics-next and the real consent wrapper (@segment/analytics-consent-tools):
 * an identify whose consent preferences deny the destination's category forwards nothing to
 * Parley, whether the plugin reads the stamped preferences itself (the opt-in model, or any
 * preferences on the event) or the wrapper blocks it through the plugin's `addMiddleware` (opt-out).
 */
import { createWrapper, type Categories } from '@segment/analytics-consent-tools';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parleyDestination } from '../../../destinations/segment/index.js';
import type { ParleyApi, VisitorIdentity } from '../../../src/sdk/api-types.js';
import { chatOnPage, newAnalytics, recordingPlugin } from './support.js';

/** Segment's settings for a source with no device-mode destinations, inline: nothing is fetched. */
const cdnSettings = { integrations: { 'Segment.io': { apiKey: 'test' } } };

describe('consent', () => {
  let chat: ParleyApi;
  let identified: VisitorIdentity[];

  beforeEach(async () => {
    localStorage.clear();
    ({ chat, identified } = await chatOnPage());
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in these tests'));
  });
  afterEach(() => {
    chat.destroy();
    vi.restoreAllMocks();
  });

  /** Waits until `other` got `count` identify calls: whatever Parley was to get by then, it got. */
  const settled = (other: ReturnType<typeof recordingPlugin>, count: number) =>
    vi.waitFor(() => expect(other.events).toHaveLength(count));

  it("honours the event's category preferences for the destination's categories", async () => {
    const analytics = newAnalytics();
    const other = recordingPlugin('Other');
    await analytics.register(parleyDestination({ chat, consentCategories: ['C0003'] }), other);
    const consent = (categoryPreferences: Categories) => ({ context: { consent: { categoryPreferences } } });

    await analytics.identify('u-1', { email: 'denied@example.com' }, consent({ C0001: true, C0003: false }));
    await analytics.identify('u-2', { email: 'missing@example.com' }, consent({ C0001: true }));
    await analytics.identify('u-3', { email: 'granted@example.com' }, consent({ C0001: false, C0003: true }));
    // No preferences on the event: nothing to honour, the consent tooling is not in use.
    await analytics.identify('u-4', { email: 'unstamped@example.com' });
    await settled(other, 4);
    await vi.waitFor(() => expect(identified).toHaveLength(2));
    expect(identified.map((identity) => identity.email)).toEqual(['granted@example.com', 'unstamped@example.com']);
  });

  it('is blocked by the consent wrapper in the opt-out model, through addMiddleware', async () => {
    let categories: Categories = { C0001: true, C0003: false };
    const withConsent = createWrapper<AnalyticsBrowser>({
      getCategories: () => categories,
      shouldLoadSegment: (context) => context.load({ consentModel: 'opt-out' }),
      integrationCategoryMappings: { Parley: ['C0003'], Other: ['C0001'] },
    });
    const analytics = withConsent(new AnalyticsBrowser());
    const plugin = parleyDestination({ chat });
    const addMiddleware = vi.spyOn(plugin, 'addMiddleware');
    const other = recordingPlugin('Other');
    void analytics.load(
      { writeKey: 'test', cdnSettings, plugins: [plugin, other] },
      { integrations: { 'Segment.io': false }, disableClientPersistence: true },
    );

    await analytics.identify('u-1', { email: 'denied@example.com' });
    await settled(other, 1);
    expect(addMiddleware).toHaveBeenCalled();
    expect(other.events[0]!.context?.consent).toEqual({ categoryPreferences: { C0001: true, C0003: false } });

    categories = { C0001: true, C0003: true };
    await analytics.identify('u-2', { email: 'granted@example.com' });
    await settled(other, 2);
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([{ email: 'granted@example.com', userId: 'u-2' }]);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("holds in the consent wrapper's opt-in model, which only stamps, when the categories are given", async () => {
    let categories: Categories = { C0001: true, C0003: false };
    const withConsent = createWrapper<AnalyticsBrowser>({
      getCategories: () => categories,
      integrationCategoryMappings: { Parley: ['C0003'], Other: ['C0001'] },
    });
    const analytics = withConsent(new AnalyticsBrowser());
    const other = recordingPlugin('Other');
    void analytics.load(
      { writeKey: 'test', cdnSettings, plugins: [parleyDestination({ chat, consentCategories: ['C0003'] }), other] },
      { integrations: { 'Segment.io': false }, disableClientPersistence: true },
    );
    await analytics.identify('u-1', { email: 'denied@example.com' });
    await settled(other, 1);
    categories = { C0001: true, C0003: true };
    await analytics.identify('u-2', { email: 'granted@example.com' });
    await settled(other, 2);
    await vi.waitFor(() => expect(identified).toHaveLength(1));
    expect(identified).toEqual([{ email: 'granted@example.com', userId: 'u-2' }]);
    expect(fetch).not.toHaveBeenCalled();
  });
});
