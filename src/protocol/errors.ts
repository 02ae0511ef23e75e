/** Stable error codes: every `error` frame and every close code the server uses is one of these. */
export const errorCodeList = [
  'bad_frame',
  'unknown_type',
  'unsupported_version',
  'too_large',
  'hello_required',
  'hello_timeout',
  'unauthorized',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'rate_limited',
  'invalid_state',
  'agent_unavailable',
  'session_ended',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodeList)[number];

/**
 * What each code means; the README's error table mirrors this one (a test keeps them equal).
 * Only the server and the docs use the prose, so browser bundles carry the codes alone.
 */
export const errorCodes = {
  bad_frame: 'The frame is not JSON or does not match the schema of its type.',
  unknown_type: 'The frame type is not part of this protocol version.',
  unsupported_version: 'The hello asked for a protocol version this server does not speak.',
  too_large: 'The frame exceeds the maximum frame size.',
  hello_required: 'The first frame on a connection must be hello.',
  hello_timeout: 'No hello arrived in time after the connection opened.',
  unauthorized: 'The token is missing, unknown, expired or revoked.',
  forbidden: 'The session may not act on this conversation or resource.',
  origin_not_allowed: "The page's origin is not on the widget's allow-list.",
  not_found: 'The widget, conversation, agent or request does not exist.',
  rate_limited: 'Too many requests; retry later.',
  invalid_state: 'The action does not fit the current state (for example, a message to an ended conversation).',
  agent_unavailable: 'The target agent is not online or has no free capacity.',
  session_ended: 'The session was ended (logout, log out everywhere, or clearAll).',
  internal: 'The server failed; the request can be retried with the same ids.',
} as const satisfies Record<ErrorCode, string>;

/**
 * WebSocket close codes. 1009 (too large) and 1001 (server going away) are standard; the
 * 44xx codes are Parley's. Clients must not reconnect after a close listed in `finalCloseCodes`.
 */
export const closeCodes = {
  going_away: 1001,
  too_large: 1009,
  internal: 1011,
  hello_required: 4400,
  unauthorized: 4401,
  origin_not_allowed: 4403,
  unsupported_version: 4406,
  hello_timeout: 4408,
  session_ended: 4409,
  rate_limited: 4429,
} as const;

export const finalCloseCodes: ReadonlySet<number> = new Set([
  closeCodes.unauthorized,
  closeCodes.origin_not_allowed,
  closeCodes.unsupported_version,
  closeCodes.session_ended,
]);

/**
 * An error carrying a protocol code, thrown by services and turned into an error frame, and by
 * clients. Without a message, the message is the code (see `errorCodes` for what it means).
 */
export class ParleyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'ParleyError';
  }
}
