// sdk: the public JS API (pre-init buffer, consent and storage, events, destinations).
// May import: protocol, transport, and widget lazily (dynamic import only; the plain-DOM launcher statically).
export { createChat } from './chat.js';
export { ParleyApiError } from './errors.js';
export { callbackDestination, dataLayerDestination } from './ready-destinations.js';
export type {
  AgentSummary,
  ChatOptions,
  ConsentState,
  CustomData,
  Destination,
  DestinationCallback,
  LiveChatEventName,
  LiveChatProperties,
  ParleyApi,
  ParleyApiErrorCode,
  ParleyEventName,
  ParleyEvents,
  ParleyFunction,
  ParleyListener,
  ParleyMethod,
  SentMessage,
  VisitorIdentity,
} from './api-types.js';
