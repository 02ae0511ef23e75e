/** What an agent's action returns to the UI: done, or a sentence saying why not. */
import { ClientClosedError, ParleyError, type ErrorCode } from '../../transport/index.js';

export type ActionResult = { ok: true } | { ok: false; message: string };

/** Plain-language reasons, per error code; an action may name its own for some codes. */
const reasons: Partial<Record<ErrorCode, string>> = {
  forbidden: 'You can no longer act on this chat.',
  not_found: 'It no longer exists.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  invalid_state: 'That is no longer possible: the chat has changed meanwhile.',
  agent_unavailable: 'That agent is no longer available. Pick another one.',
  unauthorized: 'Your session has ended. Log in again.',
  session_ended: 'Your session has ended. Log in again.',
};

/**
 * Turns a rejected request into a failed result with a readable message.
 *
 * @example
 * failure(new ParleyError('agent_unavailable')); // { ok: false, message: 'That agent is no longer available…' }
 * failure(error, { invalid_state: 'Another agent already took this chat.' });
 */
export function failure(error: unknown, own: Partial<Record<ErrorCode, string>> = {}): ActionResult {
  if (error instanceof ClientClosedError) return { ok: false, message: 'You are no longer connected: log in again.' };
  if (error instanceof ParleyError) {
    return { ok: false, message: own[error.code] ?? reasons[error.code] ?? 'Something went wrong. Try again.' };
  }
  return { ok: false, message: 'Something went wrong. Try again.' };
}

/**
 * Runs a request and reports how it went, never throwing.
 *
 * @example
 * const result = await attempt(() => client.request({ type: 'callme.done', id }));
 */
export async function attempt(
  action: () => Promise<unknown>,
  own: Partial<Record<ErrorCode, string>> = {},
): Promise<ActionResult> {
  try {
    await action();
    return { ok: true };
  } catch (error) {
    return failure(error, own);
  }
}
