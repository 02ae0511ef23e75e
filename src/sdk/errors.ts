/** The coded error of the JS API, and the one place that reports a bad call. */
import type { ParleyApiErrorCode } from './api-types.js';

/**
 * What a bad call rejects with: a stable `code`, the `method` and a readable message.
 *
 * @example
 * chat.identify({ email: 'nope' }).catch((error: ParleyApiError) => error.code); // "invalid_email"
 */
export class ParleyApiError extends Error {
  constructor(
    readonly code: ParleyApiErrorCode,
    readonly method: string,
    message: string,
  ) {
    super(`Parley ${method}: ${message}`);
    this.name = 'ParleyApiError';
  }
}

/**
 * Warns on the console, naming the method, and returns the error; the API never throws into the
 * host page, it rejects or returns instead.
 *
 * @example
 * return Promise.reject(badCall('invalid_email', 'identify', 'email must be an email address'));
 */
export function badCall(code: ParleyApiErrorCode, method: string, message: string): ParleyApiError {
  const error = new ParleyApiError(code, method, message);
  console.warn(`[parley] ${error.message} (${code})`);
  return error;
}

/**
 * Turns any failure (a protocol error, a closed client, a network error) into a ParleyApiError
 * that keeps the protocol's code when there is one.
 *
 * @example
 * client.send(input).catch((error) => Promise.reject(asApiError('sendMessage', error)));
 */
export function asApiError(method: string, error: unknown): ParleyApiError {
  if (error instanceof ParleyApiError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return badCall(typeof code === 'string' ? code : 'network', method, message);
}
