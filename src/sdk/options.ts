/** The options of `createChat` (ChatOptions, or the snippet's data-* settings), checked at the boundary. */
import { isHttpUrl, isRecord, isUuid } from './checks.js';

/** Checked options, with defaults and the server's trailing slash removed. */
export interface ResolvedOptions {
  widgetId: string;
  server: string;
  consent: 'implicit' | 'required';
  container?: HTMLElement;
  locale?: string;
  nonce?: string;
  open: boolean;
}

/**
 * Checks `createChat`'s options; returns them resolved, or a sentence saying what is wrong.
 *
 * @example
 * readOptions({ widgetId: '0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70', server: 'https://chat.example.com/' });
 * // { widgetId: '0b6d…', server: 'https://chat.example.com', consent: 'implicit', open: false }
 * readOptions({ widgetId: 'nope', server: 'x' }); // "widgetId must be the widget ID (a UUID) …"
 */
export function readOptions(options: unknown): ResolvedOptions | string {
  if (!isRecord(options)) return 'options must be an object like { widgetId, server }';
  const { widgetId, server, consent, container, locale, nonce, open } = options;
  if (!isUuid(widgetId)) return 'widgetId must be the widget ID (a UUID) from your Parley server';
  if (!isHttpUrl(server)) return 'server must be the http(s) origin of your Parley server';
  if (consent !== undefined && consent !== 'implicit' && consent !== 'required') {
    return 'consent must be "implicit" or "required"';
  }
  if (container !== undefined && !(container instanceof HTMLElement)) return 'container must be an HTML element';
  if (locale !== undefined && typeof locale !== 'string') return 'locale must be a string such as "de"';
  if (nonce !== undefined && typeof nonce !== 'string') return 'nonce must be a string';
  if (open !== undefined && typeof open !== 'boolean') return 'open must be a boolean';
  return {
    widgetId,
    server: server.replace(/\/+$/, ''),
    consent: consent ?? 'implicit',
    open: open ?? false,
    ...(container ? { container } : {}),
    ...(locale ? { locale } : {}),
    ...(nonce ? { nonce } : {}),
  };
}
