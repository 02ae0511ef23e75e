/** The widget settings from the server's config endpoint, reduced to the shapes the widget uses. */
import type { ProactiveRule, WidgetSettings } from './types.js';

/**
 * Keeps only well-formed settings: a theme colour and position, string texts, and proactive rules
 * with a message. Settings are edited by hand in the server's store, so a typo must cost one
 * setting, never the widget.
 *
 * @example
 * readSettings({ theme: { position: 'left' }, texts: { 'launcher.online': 'Hi', bad: 3 } });
 * // { theme: { position: 'left' }, texts: { 'launcher.online': 'Hi' }, proactive: [] }
 */
export function readSettings(raw: unknown): WidgetSettings {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const theme = (typeof input.theme === 'object' && input.theme !== null ? input.theme : {}) as Record<string, unknown>;
  const texts: Record<string, string> = {};
  if (typeof input.texts === 'object' && input.texts !== null) {
    for (const [key, value] of Object.entries(input.texts)) if (typeof value === 'string') texts[key] = value;
  }
  const proactive: ProactiveRule[] = [];
  for (const rule of Array.isArray(input.proactive) ? (input.proactive as unknown[]) : []) {
    const { message, delayMs, path } = (rule ?? {}) as Record<string, unknown>;
    if (typeof message !== 'string' || message.trim() === '') continue;
    proactive.push({
      message,
      ...(typeof delayMs === 'number' && delayMs >= 0 ? { delayMs } : {}),
      ...(typeof path === 'string' ? { path } : {}),
    });
  }
  return {
    theme: {
      ...(typeof theme.color === 'string' ? { color: theme.color } : {}),
      ...(theme.position === 'left' || theme.position === 'right' ? { position: theme.position } : {}),
    },
    texts,
    proactive,
  };
}
