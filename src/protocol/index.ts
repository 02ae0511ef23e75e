// protocol: the wire contract of Parley v1 (valibot schemas, derived types, limits, error codes, which parts of a body are links).
// May import: valibot only; nothing of ours, no DOM and no Node APIs.
export { PROTOCOL_VERSION } from './version.js';
export { limits } from './limits.js';
export { splitLinks } from './links.js';
export { errorCodes, errorCodeList, closeCodes, finalCloseCodes, ParleyError, type ErrorCode } from './errors.js';
export {
  clientFrameSchemas,
  visitorClientFrameSchemas,
  agentClientFrameSchemas,
  type ClientFrame,
  type ClientFrameOf,
  type ClientFrameType,
} from './client-frames.js';
export {
  serverFrameSchemas,
  visitorServerFrameSchemas,
  agentServerFrameSchemas,
  sequencedFrameSchemas,
  isSequenced,
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
  type VisitorDetails,
  type TranscriptItem,
} from './server-frames.js';
export { dataReplies, type DataReplyType, type ReplyFrameType } from './replies.js';
export {
  decodeClientFrame,
  decodeServerFrame,
  decodeVisitorServerFrame,
  validateClientFrame,
  validateVisitorClientFrame,
  type Decoded,
} from './codec.js';
