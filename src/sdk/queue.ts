/** The queued form of the API: `Parley('method', ...args)`, before and after the widget loads. */
import type { ParleyApi, ParleyFunction } from './api-types.js';
import { badCall } from './errors.js';

/** A call the snippet's stub recorded: its arguments and its promise's settle functions. */
export type QueuedCall = [args: unknown[], resolve: (value: unknown) => void, reject: (error: unknown) => void];

/** What the snippet leaves on `window.Parley`: the queue (`q`) and its data-* settings (`c`). */
export interface SnippetStub {
  (...args: unknown[]): Promise<unknown>;
  q?: QueuedCall[];
  c?: Record<string, string | undefined>;
  /** The launcher's bubble the snippet drew in the page's first frame, until the launcher replaces it. */
  h?: HTMLElement;
  /** Set on the real function, so a second copy of the bundle leaves it alone. */
  loaded?: true;
}

/**
 * Calls `api[method](...args)` and always answers with a promise: the method's result, or a
 * rejection with a coded error (`unknown_method` for a name the API does not have).
 *
 * @example
 * await callMethod(api, 'sendMessage', ['Hello']); // { id, conversationId }
 * await callMethod(api, 'explode', []); // rejects: ParleyApiError unknown_method
 */
export function callMethod(api: ParleyApi, method: unknown, args: readonly unknown[]): Promise<unknown> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(api, method)) {
    return Promise.reject(badCall('unknown_method', String(method), 'no such method'));
  }
  try {
    return Promise.resolve((api[method as keyof ParleyApi] as (...input: unknown[]) => unknown)(...args));
  } catch (error) {
    // The API never throws; this only guards against a bug of ours reaching the page.
    return Promise.reject(badCall('internal', method, String(error)));
  }
}

/**
 * The real `window.Parley`: the same call form as the stub, now answered at once.
 *
 * @example
 * window.Parley = parleyFunction(api);
 * await window.Parley('open');
 */
export function parleyFunction(api: ParleyApi): ParleyFunction & { loaded: true } {
  const parley = ((method: unknown, ...args: unknown[]) => callMethod(api, method, args)) as ParleyFunction;
  return Object.assign(parley, { loaded: true as const });
}

/**
 * Replays the stub's calls in the order they were made. The calls run synchronously one after
 * another, so a queued consent decision applies before anything later in the queue and before the
 * widget starts; their promises then settle in the same order, each with its call's result.
 *
 * @example
 * drainQueue(stub.q ?? [], api);
 */
export function drainQueue(queue: readonly QueuedCall[], api: ParleyApi): void {
  let settled: Promise<unknown> = Promise.resolve();
  for (const call of queue) {
    const [args, resolve, reject] = Array.isArray(call) ? call : [[]];
    const [method, ...rest] = Array.isArray(args) ? args : [];
    const result = callMethod(api, method, rest);
    settled = settled.then(() => result.then(resolve, reject));
  }
}
