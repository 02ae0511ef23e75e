/**
 * Consent for the destination, as analytics-next's consent tooling expresses it: the category
 * preferences stamped on each event, and the destination middleware that the consent wrapper
 * (`@segment/analytics-consent-tools`) adds through the plugin's `addMiddleware`.
 */
import type { SegmentEvent } from '@segment/analytics-next';

/** The payload a destination middleware gets: the event as `obj` (analytics-next passes a Facade with the same `obj`). */
export interface MiddlewarePayload {
  obj: SegmentEvent;
}

/** A destination middleware: calls `next(payload)` to pass the event on, `next(null)` (or nothing) to drop it. */
export type DestinationMiddleware = (params: {
  payload: MiddlewarePayload;
  integration: string;
  next: (payload: MiddlewarePayload | null) => void;
}) => unknown;

/**
 * False when the event's consent preferences (`context.consent.categoryPreferences`) do not grant
 * every one of the destination's categories; true without preferences or without categories (the
 * consent wrapper's rule).
 *
 * @example
 * consentAllows({ type: 'identify', context: { consent: { categoryPreferences: { C0003: false } } } }, ['C0003']); // false
 */
export function consentAllows(event: SegmentEvent, categories: readonly string[]): boolean {
  const preferences = (event.context?.consent as { categoryPreferences?: Record<string, unknown> } | undefined)
    ?.categoryPreferences;
  return !preferences || categories.every((category) => preferences[category] === true);
}

/**
 * Runs the middlewares one after the other on a copy of the event: the event they pass on, or
 * null when one drops it (`next(null)`, or returns without calling `next`). A middleware that
 * throws rejects.
 *
 * @example
 * const event = await runMiddlewares(middlewares, 'Parley', ctx.event);
 * if (event) forward(event);
 */
export async function runMiddlewares(
  middlewares: readonly DestinationMiddleware[],
  integration: string,
  event: SegmentEvent,
): Promise<SegmentEvent | null> {
  // A copy, so a middleware's changes stay with this destination (as analytics-next does).
  let current: SegmentEvent | null = { ...event, context: { ...event.context }, traits: { ...event.traits } };
  for (const middleware of middlewares) {
    const payload: MiddlewarePayload = { obj: current };
    current = await new Promise<SegmentEvent | null>((resolve, reject) => {
      // The first settle wins: `next` when called, else null once the middleware returns.
      const next = (passed: MiddlewarePayload | null) => resolve(passed?.obj ?? null);
      Promise.resolve(middleware({ payload, integration, next })).then(() => resolve(null), reject);
    });
    if (!current) return null;
  }
  return current;
}
