/** Checks outgoing frames before they reach the wire, and measures them as the server will. */
import { limits, ParleyError, type ClientFrame } from '../protocol/index.js';
import type { FrameCodec } from './codecs.js';

/**
 * The UTF-8 size of a string in bytes, counted without allocating (the server limits bytes, and a
 * string's `length` counts UTF-16 units).
 *
 * @example
 * utf8Length('héllo'); // 6
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit < 0xe000;
}

/**
 * Validates a frame against its protocol schema and the frame size limit, and returns the frame
 * as the schema outputs it (unknown keys dropped). Bad input fails here, with the same error code
 * the server would answer, instead of costing a round trip.
 *
 * @example
 * checkedFrame(anyRoleCodec, { type: 'typing', typing: true }); // returns the frame
 * checkedFrame(anyRoleCodec, { type: 'message.send', clientId: 'm_1', body: ' ' }); // throws ParleyError('bad_frame')
 */
export function checkedFrame<F extends ClientFrame>(codec: FrameCodec, frame: F): F {
  const decoded = codec.check(frame);
  if (!decoded.ok) throw new ParleyError(decoded.code, decoded.message);
  if (utf8Length(JSON.stringify(decoded.frame)) > limits.maxFrameBytes) {
    throw new ParleyError('too_large', `${frame.type} frame is over ${limits.maxFrameBytes} bytes`);
  }
  return decoded.frame as F;
}
