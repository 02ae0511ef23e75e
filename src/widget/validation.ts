/** Checks on what visitors type into the chat box's forms, before anything reaches the SDK. */

/**
 * The same rule as the protocol's `Phone` field, so a number we accept is one the server accepts.
 * @example
 * isPhoneNumber('+49 (30) 123-456'); // true
 */
export const isPhoneNumber = (value: string): boolean => /^\+?[\d ().-]{5,32}$/.test(value);

/**
 * One "@", something on both sides, a dot in the domain, no spaces: the server checks the rest.
 * @example
 * isEmail('ann@example.com'); // true
 * isEmail('ann@example'); // false
 */
export const isEmail = (value: string): boolean => value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** The protocol's `limits.maxBodyChars`, repeated so the chunk does not pull in the protocol's schemas. */
export const maxBodyChars = 4000;
