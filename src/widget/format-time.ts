/** Message times through the browser's own Intl data, never a bundled date library. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A message time for `locale`: the time alone for today, the date and time otherwise.
 * @example
 * formatTime(Date.UTC(2025, 0, 2, 14, 5), 'de'); // "14:05" on that day, "02.01.2025, 14:05" later
 */
export function formatTime(at: number, locale: string, now: number = Date.now()): string {
  const today = new Date(at).toDateString() === new Date(now).toDateString();
  const key = `${locale}|${today}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(
      locale,
      today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
    );
    formatters.set(key, formatter);
  }
  return formatter.format(at);
}
