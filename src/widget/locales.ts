/**
 * The widget's strings and the helpers that pick a locale and fill a string.
 *
 * Strings live in one registry. This file holds the launcher's strings, which the entry chunk needs
 * before the chat box exists; the chat box's strings (chatbox-strings.ts) travel in the lazy chunk
 * and are added when it mounts, so the host page never downloads text it may not show.
 */

/** Strings by locale, then by key. */
export type LocaleTable = Record<string, Record<string, string>>;

/** Locales with a complete table; the first is the fallback. */
export const supportedLocales = ['en', 'de'];

const strings: LocaleTable = {
  en: {
    'launcher.online': 'Chat with us',
    'launcher.offline': 'Leave a message',
    'launcher.unread': 'Unread messages: {count}',
  },
  de: {
    'launcher.online': 'Chatten Sie mit uns',
    'launcher.offline': 'Nachricht hinterlassen',
    'launcher.unread': 'Ungelesene Nachrichten: {count}',
  },
};

/** "de-AT" and "DE_at" both become "de". */
const baseOf = (locale: string) => locale.toLowerCase().split(/[-_]/)[0]!;

/**
 * Adds strings to the registry (later tables win per key).
 * @example
 * addStrings({ en: { 'survey.thanks': 'Thanks!' }, de: { 'survey.thanks': 'Danke!' } });
 */
export function addStrings(table: LocaleTable): void {
  for (const [locale, entries] of Object.entries(table)) strings[locale] = { ...strings[locale], ...entries };
}

/**
 * The locale to use: the requested one if we ship it, else the page's language, else English.
 * @example
 * pickLocale(undefined, 'de-CH'); // "de"
 * pickLocale('fr', 'en-GB'); // "en"
 */
export function pickLocale(requested: string | undefined, pageLang: string | undefined): string {
  for (const candidate of [requested, pageLang]) {
    const base = candidate && baseOf(candidate);
    if (base && supportedLocales.includes(base)) return base;
  }
  return supportedLocales[0]!;
}

/**
 * Whether a locale is written right to left.
 * @example
 * isRtlLocale('ar-EG'); // true
 * isRtlLocale('de'); // false
 */
export function isRtlLocale(locale: string): boolean {
  return /^(ar|arc|ckb|dv|fa|he|iw|ku|ps|sd|ug|ur|yi)$/.test(baseOf(locale));
}

/**
 * A string in `locale` with `{name}` placeholders filled. A site's override for the key (the
 * widget config's `texts`) wins; a key missing in `locale` falls back to English, then to the key.
 * @example
 * translate('de', 'launcher.unread', { count: 3 }); // "Ungelesene Nachrichten: 3"
 * translate('en', 'launcher.online', {}, { 'launcher.online': 'Talk to a human' }); // "Talk to a human"
 */
export function translate(
  locale: string,
  key: string,
  values: Record<string, string | number> = {},
  overrides?: Record<string, string>,
): string {
  const text = overrides?.[key] ?? strings[baseOf(locale)]?.[key] ?? strings.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
