/** The destinations Parley ships besides Segment's: a callback, and Google Tag Manager's data layer. */
import type { Destination, DestinationCallback, LiveChatProperties } from './api-types.js';

/**
 * A destination that hands each Live Chat event to `track`. Give each callback destination of a
 * chat its own `name`.
 *
 * @example
 * chat.use(callbackDestination((event, properties) => myAnalytics.send(event, properties)));
 */
export function callbackDestination(track: DestinationCallback, name = 'callback'): Destination {
  return { name, track };
}

/** The spec properties an event may lack (`conversation_id` it always has): see `dataLayerDestination`. */
const optionalProperties: readonly (keyof LiveChatProperties)[] = [
  'agent_id',
  'agent_name',
  'agent_username',
  'conversation_duration',
  'message_id',
  'message_body',
];

/**
 * A destination for Google Tag Manager: each Live Chat event becomes
 * `window[variable].push({ event: 'Live Chat Message Sent', conversation_id, message_id, … })`,
 * the array created if the page has none yet. A property without a value is pushed as
 * `undefined`, which GTM's data model takes as "forget it", so an event never shows a value left
 * over from an earlier one (a message body on Conversation Ended, say).
 *
 * @example
 * chat.use(dataLayerDestination()); // or, with the snippet: Parley('use', 'dataLayer')
 */
export function dataLayerDestination(variable = 'dataLayer'): Destination {
  return {
    name: variable,
    track(event, properties) {
      const page = window as unknown as Record<string, unknown[] | undefined>;
      const layer = (page[variable] ??= []);
      const cleared = Object.fromEntries(optionalProperties.map((key) => [key, undefined]));
      layer.push({ event, ...cleared, ...properties });
    },
  };
}
