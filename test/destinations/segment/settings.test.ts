// @vitest-environment happy-dom
/**
 * The destination's settings: the SnapEngage destination's names as aliases, the source's CDN
 * settings under `Parley`, and bad settings refused with a coded error that analytics-next logs
 * while it drops the plugin and carries on.
 */
import { Analytics, AnalyticsBrowser, type Plugin } from '@segment/analytics-next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleySegmentError, parleyDestination } from '../../../destinations/segment/index.js';
import { pluginVersion } from '../../../destinations/segment/plugin.js';
import { readSettings } from '../../../destinations/segment/settings.js';
import pkg from '../../../package.json' with { type: 'json' };

const widgetId = '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70';

afterEach(() => vi.restoreAllMocks());

describe('settings', () => {
  it('takes widgetId or its alias apiKey, and recordLiveChatEvents or its alias listen (default false)', () => {
    expect(readSettings({ widgetId }, undefined)).toEqual({
      widgetId,
      recordLiveChatEvents: false,
      consentCategories: [],
    });
    expect(readSettings({ apiKey: widgetId, listen: true, server: 'https://chat.example.com/' }, undefined)).toEqual({
      widgetId,
      recordLiveChatEvents: true,
      server: 'https://chat.example.com',
      consentCategories: [],
    });
    expect(readSettings({ widgetId, apiKey: widgetId, recordLiveChatEvents: true, listen: true }, undefined)).toEqual(
      expect.objectContaining({ widgetId, recordLiveChatEvents: true }),
    );
  });

  it("falls back on the source's CDN settings under Parley, and their consent categories", () => {
    const remote = { apiKey: widgetId, listen: true, consentSettings: { categories: ['C0003'] } };
    expect(readSettings({}, remote)).toEqual({ widgetId, recordLiveChatEvents: true, consentCategories: ['C0003'] });
    // The settings given to the factory win.
    expect(readSettings({ listen: false, consentCategories: ['C0004'] }, remote)).toEqual({
      widgetId,
      recordLiveChatEvents: false,
      consentCategories: ['C0004'],
    });
  });

  it('refuses bad settings with invalid_settings and a message that names the setting', () => {
    const refused = (given: unknown) => {
      try {
        readSettings(given, undefined);
      } catch (error) {
        expect(error).toBeInstanceOf(ParleySegmentError);
        expect(error).toMatchObject({ code: 'invalid_settings' });
        return (error as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(given)}`);
    };
    expect(refused(null)).toMatch(/pass the settings as an object/);
    expect(refused({ widgetId: 42 })).toMatch(/widgetId \(apiKey\)/);
    expect(refused({ apiKey: '' })).toMatch(/widgetId \(apiKey\)/);
    expect(refused({ widgetId, apiKey: 'another' })).toMatch(/widgetId and apiKey \(its alias\) disagree/);
    expect(refused({ listen: 'yes' })).toMatch(/recordLiveChatEvents \(listen\) must be true or false/);
    expect(refused({ recordLiveChatEvents: true, listen: false })).toMatch(/disagree/);
    expect(refused({ server: 8787 })).toMatch(/server must be/);
    expect(refused({ chat: {} })).toMatch(/chat must be the object createChat\(\) returned/);
    expect(refused({ consentCategories: 'C0003' })).toMatch(/consentCategories must be a list/);
  });

  it('names itself Parley, a destination, with the package version', () => {
    const plugin = parleyDestination({ widgetId });
    expect(plugin).toMatchObject({ name: 'Parley', type: 'destination', version: pluginVersion });
    expect(pluginVersion).toBe(pkg.version);
    expect(plugin.isLoaded()).toBe(false);
  });

  it('lets analytics-next drop the plugin with a logged reason when its settings are bad, and go on', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const failures: string[] = [];
    const delivered: string[] = [];
    const other: Plugin = {
      name: 'Other',
      type: 'destination',
      version: '1.0.0',
      isLoaded: () => true,
      load: () => Promise.resolve(),
      identify: (ctx) => (delivered.push(ctx.event.userId!), ctx),
    };
    const analytics = new Analytics({ writeKey: 'test' }, { disableClientPersistence: true });
    analytics.queue.on('initialization_failure', (plugin: Plugin) => failures.push(plugin.name));
    await analytics.register(parleyDestination({ listen: 'yes' } as never), other);
    await vi.waitFor(() => expect(failures).toEqual(['Parley']));
    expect(warn).toHaveBeenCalledWith('Parley', expect.objectContaining({ code: 'invalid_settings' }));
    expect(analytics.queue.plugins.map((plugin) => plugin.name)).not.toContain('Parley');
    await analytics.identify('u1', { email: 'ada@example.com' });
    expect(delivered).toEqual(['u1']);
  });

  it('reads its settings from inline CDN settings when AnalyticsBrowser loads it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fetch = vi.spyOn(globalThis, 'fetch');
    const plugin = parleyDestination();
    const [analytics] = await AnalyticsBrowser.load(
      {
        writeKey: 'test',
        cdnSettings: { integrations: { 'Segment.io': { apiKey: 'test' }, Parley: { listen: 'yes' } } },
        plugins: [plugin],
      },
      { integrations: { 'Segment.io': false }, disableClientPersistence: true },
    );
    await vi.waitFor(() =>
      expect(warn).toHaveBeenCalledWith('Parley', expect.objectContaining({ code: 'invalid_settings' })),
    );
    expect(analytics.queue.plugins).not.toContain(plugin);
    expect(fetch).not.toHaveBeenCalled();
  });
});
