/** Random ids for message client ids and request refs. */

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Returns a random id that satisfies the protocol's `Id` field (`[\w-]{1,64}`). It carries about
 * 124 bits of randomness from `crypto.getRandomValues`, so two tabs or a resend after a reload
 * never collide, which the server's idempotency relies on.
 *
 * @example
 * randomId('m'); // "m_4k2x9…" (24 random characters after the prefix)
 */
export function randomId(prefix: string): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let id = `${prefix}_`;
  // 252 is the largest multiple of 36 below 256; dropping bytes above it keeps the alphabet uniform.
  for (const byte of bytes) if (byte < 252) id += alphabet[byte % 36];
  return id;
}
