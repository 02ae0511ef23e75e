/** Which frames a client checks before sending and accepts on receipt, by role. */
import {
  decodeServerFrame,
  decodeVisitorServerFrame,
  validateClientFrame,
  validateVisitorClientFrame,
  type ClientFrame,
  type Decoded,
  type ServerFrame,
} from '../protocol/index.js';

export interface FrameCodec {
  /** Validates a frame before it is sent; the output drops unknown keys. */
  check(frame: unknown): Decoded<ClientFrame>;
  /** Parses and validates a frame received from the server. */
  decode(raw: unknown): Decoded<ServerFrame>;
}

/** Every frame of the protocol: `createClient` uses it, for either role. */
export const anyRoleCodec: FrameCodec = { check: validateClientFrame, decode: decodeServerFrame };

/** A visitor's frames only: `createVisitorClient` uses it, so a visitor's bundle has no agent schemas. */
export const visitorCodec: FrameCodec = { check: validateVisitorClientFrame, decode: decodeVisitorServerFrame };
