/** Times and durations as agents read them. */

/**
 * How long someone has waited, short and coarse.
 *
 * @example
 * formatWait(30_000);    // "under 1 min"
 * formatWait(185_000);   // "3 min"
 * formatWait(3_900_000); // "1 h 5 min"
 */
export function formatWait(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * A time of day, with the date when it is not today.
 *
 * @example
 * formatTime(Date.now()); // "14:05"
 * formatTime(Date.parse('2024-03-01T09:30:00')); // "1 Mar, 09:30" (in an English locale)
 */
export function formatTime(at: number, now = Date.now(), locale?: string): string {
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/**
 * The time it is now in a visitor's time zone, or undefined for a zone this browser does not know.
 *
 * @example
 * localTimeIn('Asia/Tokyo', Date.UTC(2024, 0, 1, 12, 0), 'en-GB'); // "21:00"
 */
export function localTimeIn(timeZone: string, now = Date.now(), locale?: string): string | undefined {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(
      new Date(now),
    );
  } catch {
    return undefined;
  }
}

/**
 * An ISO timestamp for a `<time dateTime>` attribute.
 *
 * @example
 * isoTime(0); // "1970-01-01T00:00:00.000Z"
 */
export function isoTime(at: number): string {
  return new Date(at).toISOString();
}
