/** The destination's settings, with the historical SnapEngage destination's names accepted as aliases. */
import type { ParleyApi } from 'parley';
import { ParleySegmentError } from './errors.js';

/** What `parleyDestination()` takes; the same keys may come from the source's CDN settings under `Parley`. */
export interface ParleySegmentSettings {
  /** "Widget ID": the widget ID (a UUID) from your Parley server. */
  widgetId?: string;
  /** The SnapEngage destination's name for `widgetId`. */
  apiKey?: string;
  /** "Record live chat events": send the four Live Chat events to Segment as `track` calls (default false). */
  recordLiveChatEvents?: boolean;
  /** The SnapEngage destination's name for `recordLiveChatEvents`. */
  listen?: boolean;
  /** The origin of your Parley server, e.g. `https://chat.example.com`: where the widget is loaded from. */
  server?: string;
  /** A chat from `createChat()` (npm) to use instead of the page's `window.Parley`. */
  chat?: ParleyApi;
  /**
   * The consent categories the destination needs, e.g. `['C0003']`; default: the source's
   * `integrations.Parley.consentSettings.categories`. An identify whose consent preferences do not
   * grant all of them is not forwarded.
   */
  consentCategories?: string[];
}

export interface ResolvedSettings {
  widgetId?: string;
  recordLiveChatEvents: boolean;
  server?: string;
  chat?: ParleyApi;
  consentCategories: string[];
}

type Remote = ParleySegmentSettings & { consentSettings?: { categories?: unknown } };

/** A setting under its name or its alias; both given must agree. */
function either<T>(settings: Remote, name: keyof Remote, alias: keyof Remote): T | undefined {
  const [value, aliased] = [settings[name], settings[alias]];
  if (value !== undefined && aliased !== undefined && value !== aliased) {
    throw new ParleySegmentError('invalid_settings', `${name} and ${alias} (its alias) disagree: give one of them`);
  }
  return (value ?? aliased) as T | undefined;
}

/**
 * The settings given to the factory over those of the source's CDN settings (`integrations.Parley`),
 * checked; throws a ParleySegmentError (`invalid_settings`) that says what is wrong.
 *
 * @example
 * readSettings({ apiKey: '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70', listen: true }, undefined);
 * // { widgetId: '0b6d…', recordLiveChatEvents: true, consentCategories: [] }
 */
export function readSettings(given: unknown, remote: unknown): ResolvedSettings {
  const fromSource = (typeof remote === 'object' && remote !== null ? remote : {}) as Remote;
  if (typeof given !== 'object' || given === null) {
    throw new ParleySegmentError('invalid_settings', 'pass the settings as an object like { widgetId, server }');
  }
  const settings: Remote = { ...fromSource, ...given };
  const widgetId = either<unknown>(settings, 'widgetId', 'apiKey');
  const record = either<unknown>(settings, 'recordLiveChatEvents', 'listen') ?? false;
  const { server, chat } = settings;
  const categories = settings.consentCategories ?? fromSource.consentSettings?.categories ?? [];
  // The widget checks the formats of the widget ID and the server itself, and says what is wrong.
  if (widgetId !== undefined && (typeof widgetId !== 'string' || widgetId === '')) {
    throw new ParleySegmentError('invalid_settings', 'widgetId (apiKey) must be the widget ID from your Parley server');
  }
  if (typeof record !== 'boolean') {
    throw new ParleySegmentError('invalid_settings', 'recordLiveChatEvents (listen) must be true or false');
  }
  if (server !== undefined && typeof server !== 'string') {
    throw new ParleySegmentError('invalid_settings', 'server must be the origin of your Parley server');
  }
  if (chat !== undefined && (typeof chat?.identify !== 'function' || typeof chat.use !== 'function')) {
    throw new ParleySegmentError('invalid_settings', 'chat must be the object createChat() returned');
  }
  if (!Array.isArray(categories) || !categories.every((category) => typeof category === 'string')) {
    throw new ParleySegmentError(
      'invalid_settings',
      'consentCategories must be a list of category IDs such as ["C0003"]',
    );
  }
  return {
    recordLiveChatEvents: record,
    consentCategories: categories,
    ...(widgetId === undefined ? {} : { widgetId }),
    ...(server === undefined ? {} : { server: server.replace(/\/+$/, '') }),
    ...(chat === undefined ? {} : { chat }),
  };
}
