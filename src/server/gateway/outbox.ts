/**
 * What both transports share on the way out: each frame is serialised once however many
 * connections it goes to, and a connection whose unsent output outgrows its bound is closed
 * rather than allowed to hold memory without limit (it resumes from its last seq on reconnect).
 */

/**
 * Where a frame keeps its JSON text once made. A symbol key, which JSON.stringify skips: a
 * WeakMap cost more than serialising the frame again (measured), and burdens every GC.
 */
const textKey = Symbol('frame text');

/**
 * The JSON text of a frame, computed once per frame object: a published frame reaches every
 * participant's connections as the same object.
 *
 * @example
 * socket.send(frameText(frame));
 */
export function frameText(frame: object): string {
  const memo = frame as { [textKey]?: string };
  return (memo[textKey] ??= JSON.stringify(frame));
}

/** How a connection that cannot keep up is closed: WebSocket 1013 "try again later". */
export const slowConsumer = { code: 1013, reason: 'slow_consumer' } as const;

/** True, with a line for the operator, when a connection's unsent output is past its bound. */
export function tooFarBehind(unsentBytes: number, limitBytes: number): boolean {
  if (unsentBytes <= limitBytes) return false;
  console.warn(`closing a slow consumer: ${unsentBytes} bytes unsent, over the ${limitBytes}-byte bound`);
  return true;
}
