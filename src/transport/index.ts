// transport: the client side of the Parley protocol for browsers and Node (connect, heartbeat, backoff, outbox, resume, HTTP fallback, tab leadership).
// May import: protocol only.
export { createClient, createVisitorClient } from './client.js';
export { randomId } from './ids.js';
export { requestLeadership, type LockManagerLike } from './leadership.js';
export { ClientClosedError } from './errors.js';
export type { BackoffOptions } from './backoff.js';
export type { TransportKind } from './link.js';
export type { WebSocketLike, WebSocketConstructor } from './ws-link.js';
export type { FetchLike, FetchResponseLike } from './http-link.js';
export type { PendingMessage } from './outbox.js';
export type { ResumePoint } from './sequencer.js';
export type {
  ClientErrorEvent,
  ClientEvents,
  ClientEventType,
  ClientOptions,
  ClientState,
  CloseInfo,
  MessageAck,
  ParleyClient,
  ReplyTo,
  RequestFrame,
  RequestType,
  Role,
  SendInput,
  StateChange,
  TransportChange,
  TypingInput,
  Welcome,
} from './types.js';
// The protocol pieces a client user needs, so `parley/client` is enough on its own.
export {
  PROTOCOL_VERSION,
  limits,
  errorCodes,
  errorCodeList,
  closeCodes,
  finalCloseCodes,
  ParleyError,
  isSequenced,
  type ErrorCode,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
  type SequencedFrame,
  type SequencedFrameType,
  type ConversationSummary,
  type QueueItem,
  type CallMeRequest,
  type OfflineRequest,
  type AgentInfo,
  type VisitorInfo,
} from '../protocol/index.js';
