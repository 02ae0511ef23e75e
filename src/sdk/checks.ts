/** Small input checks for the API boundary (valibot stays in the lazy chunk, out of the launcher path). */

/**
 * True for a plain object (not null, an array, a DOM node or a class instance).
 *
 * @example
 * isRecord({ plan: 'pro' }); // true
 * isRecord([1]); // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * An email address as the server's schema (valibot's `email()`) accepts it, checked here so a bad
 * `identify` fails at once instead of after a round trip.
 *
 * @example
 * isEmail('ada@example.com'); // true
 */
export function isEmail(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 254 &&
    /^[\w+-]+(?:\.[\w+-]+)*@[\da-z]+(?:[.-][\da-z]+)*\.[a-z]{2,}$/i.test(value)
  );
}

/**
 * A UUID such as the server's widget IDs.
 *
 * @example
 * isUuid('0b6d3c2e-6f1a-4a9b-9a43-2a3d4c5e6f70'); // true
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i.test(value);
}

/**
 * An http(s) URL, which is what the server's origin must be.
 *
 * @example
 * isHttpUrl('https://chat.example.com'); // true
 */
export function isHttpUrl(value: unknown): value is string {
  try {
    return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * A custom data value the protocol accepts: a string of at most 500 characters, a finite number,
 * a boolean or null.
 *
 * @example
 * isCustomValue('pro'); // true
 * isCustomValue({ tier: 1 }); // false
 */
export function isCustomValue(value: unknown): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 500)
  );
}
