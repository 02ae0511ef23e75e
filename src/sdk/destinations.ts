/** The destinations of `use()`: each gets the Live Chat events and the visitor's identity, and none can stop another. */
import type {
  Destination,
  DestinationCallback,
  LiveChatEventName,
  ParleyEvents,
  VisitorIdentity,
} from './api-types.js';
import type { Emitter } from '../transport/emitter.js';
import { callbackDestination, dataLayerDestination } from './ready-destinations.js';

export const liveChatEventNames: readonly LiveChatEventName[] = [
  'Live Chat Conversation Started',
  'Live Chat Conversation Ended',
  'Live Chat Message Sent',
  'Live Chat Message Received',
];

/**
 * What `use()` was given as a destination: the object itself, `'dataLayer'`, or a function (a
 * callback destination); undefined when it is none of these.
 *
 * @example
 * toDestination('dataLayer'); // dataLayerDestination()
 * toDestination({ name: 'x' }); // undefined: no track()
 */
export function toDestination(input: unknown): Destination | undefined {
  if (input === 'dataLayer') return dataLayerDestination();
  if (typeof input === 'function') return callbackDestination(input as DestinationCallback);
  const candidate = input as Partial<Destination> | null | undefined;
  const { name, track, identify } = candidate ?? {};
  return typeof name === 'string' &&
    name &&
    typeof track === 'function' &&
    (!identify || typeof identify === 'function')
    ? (candidate as Destination)
    : undefined;
}

/**
 * The destinations of one chat. The Live Chat events reach them through the chat's emitter (so
 * once per occurrence for the whole browser, in order); each gets its own copy of the properties.
 * A destination that throws or rejects is logged once, with its name, and keeps getting events.
 *
 * @example
 * const destinations = new Destinations(controller.events);
 * destinations.add(dataLayerDestination()); // true; false when the name is taken
 * destinations.identify({ email: 'ada@example.com' });
 */
export class Destinations {
  readonly #used = new Map<string, Destination>();
  readonly #failed = new Set<string>();
  #traits: VisitorIdentity | undefined;

  constructor(events: Emitter<ParleyEvents>) {
    for (const event of liveChatEventNames) {
      events.on(event, (properties) => {
        for (const destination of this.#used.values()) this.#call(destination, 'track', event, { ...properties });
      });
    }
  }

  add(destination: Destination): boolean {
    if (this.#used.has(destination.name)) return false;
    this.#used.set(destination.name, destination);
    if (this.#traits) this.#call(destination, 'identify', { ...this.#traits });
    return true;
  }

  identify(traits: VisitorIdentity): void {
    this.#traits = traits;
    for (const destination of this.#used.values()) this.#call(destination, 'identify', { ...traits });
  }

  #call<M extends 'track' | 'identify'>(
    destination: Destination,
    method: M,
    ...args: Parameters<NonNullable<Destination[M]>>
  ): void {
    // The executor runs at once, so calls keep their order; a throw becomes a rejection.
    new Promise((resolve) => resolve((destination[method] as (...input: unknown[]) => unknown)?.(...args))).catch(
      (error: unknown) => {
        if (this.#failed.has(destination.name)) return;
        this.#failed.add(destination.name);
        console.error(`[parley] destination "${destination.name}" failed (logged once)`, error);
      },
    );
  }
}
