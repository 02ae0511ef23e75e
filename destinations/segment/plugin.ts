/** `parleyDestination()`: Parley as an analytics-next destination plugin. */
import type { Analytics, Context, Plugin } from '@segment/analytics-next';
import type { Destination } from 'parley';
import { consentAllows, runMiddlewares, type DestinationMiddleware } from './consent.js';
import { identityOf } from './identity.js';
import { readSettings, type ParleySegmentSettings } from './settings.js';
import { widgetCall, type ParleyCall } from './widget.js';

/** The plugin's name: the key of `integrations` options and of consent mappings. */
export const pluginName = 'Parley';
/** The package version, named in the context of the events the destination records. */
export const pluginVersion = '0.1.0';

/** The plugin, with the hook the consent wrapper and `addDestinationMiddleware` use. */
export interface ParleyDestinationPlugin extends Plugin {
  addMiddleware(...middlewares: DestinationMiddleware[]): void;
}

/**
 * Creates the Parley destination for analytics-next. `load` finds the widget on the page or loads
 * it (once); analytics-next does not wait for that, so the identify calls that arrive meanwhile
 * wait in order and are replayed once the widget answers. An identify with an email (in the traits,
 * any casing, or an email as userId) becomes `Parley('identify', { email, name, userId })` unless
 * consent denies it. With `recordLiveChatEvents`, the widget's Live Chat events become
 * `analytics.track` calls that skip this plugin.
 *
 * @example
 * import { AnalyticsBrowser } from '@segment/analytics-next';
 * import { parleyDestination } from 'parley/segment';
 * AnalyticsBrowser.load({
 *   writeKey: 'YOUR_WRITE_KEY',
 *   plugins: [parleyDestination({ widgetId: 'YOUR-WIDGET-ID', server: 'https://chat.example.com', recordLiveChatEvents: true })],
 * });
 */
export function parleyDestination(settings: ParleySegmentSettings = {}): ParleyDestinationPlugin {
  const middlewares: DestinationMiddleware[] = [];
  let categories: readonly string[] = [];
  let ready = false;
  /** Set when load failed or the plugin was unloaded: nothing more is forwarded or recorded. */
  let stopped = false;
  let parley: ParleyCall | undefined;
  let opened!: () => void;
  /** Identify calls in arrival order; the chain starts once the widget answers (or load failed). */
  let chain = new Promise<void>((resolve) => (opened = resolve));

  async function forward(ctx: Context): Promise<void> {
    if (stopped || !parley) return;
    if (!consentAllows(ctx.event, categories)) return;
    const event = await runMiddlewares(middlewares, pluginName, ctx.event);
    if (!event) return;
    const identity = identityOf(event);
    if (!identity) {
      console.debug(
        '[parley] Segment identify without an email (traits.email in any casing, or an email as userId): nothing set',
      );
      return;
    }
    // The widget warns about a call it refuses; nothing is left to do here.
    await parley('identify', identity).catch(() => undefined);
  }

  /**
   * Sends the widget's Live Chat events to Segment; `integrations` keeps them from coming back here.
   * Named after the source, so two sources on a page record once each and one source only once.
   */
  const recorder = (analytics: Analytics): Destination => ({
    name: `segment:${analytics.settings.writeKey}`,
    track: (event, properties) =>
      stopped ||
      analytics.track(event, properties, {
        integrations: { [pluginName]: false },
        context: { integration: { name: pluginName, version: pluginVersion } },
      }),
  });

  return {
    name: pluginName,
    type: 'destination',
    version: pluginVersion,
    isLoaded: () => ready,
    async load(_ctx, analytics) {
      try {
        const resolved = readSettings(settings, analytics.settings?.cdnSettings?.integrations?.[pluginName]);
        categories = resolved.consentCategories;
        parley = await widgetCall(resolved);
        // The snippet's queue answers once the widget has loaded: that answer means ready.
        if (resolved.recordLiveChatEvents) {
          // A refusal (this source records already) is the widget's to warn about.
          await parley('use', recorder(analytics)).catch(() => undefined);
        } else {
          await parley('getConsent');
        }
        ready = true;
      } catch (error) {
        stopped = true;
        throw error;
      } finally {
        opened();
      }
    },
    unload() {
      stopped = true;
      ready = false;
    },
    identify(ctx) {
      chain = chain.then(() =>
        forward(ctx).catch((error: unknown) => console.warn('[parley] Segment identify not forwarded', error)),
      );
      return ctx;
    },
    addMiddleware(...added) {
      middlewares.push(...added);
    },
  };
}
