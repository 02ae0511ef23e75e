/** Frames the server sends to visitors and agents, one schema per type. */
import * as v from 'valibot';
import {
  AgentInfo,
  AgentStatus,
  Author,
  Body,
  ConversationStatus,
  CustomData,
  Email,
  Id,
  Role,
  Seq,
  ShortText,
  Timestamp,
  Url,
  VisitorInfo,
} from './fields.js';
import { errorCodeList } from './errors.js';
import { limits } from './limits.js';

const sequenced = { conversationId: Id, seq: Seq, at: Timestamp };

/**
 * Frames that belong to a conversation's durable log. Each carries the conversation's
 * gap-free sequence number; resume and history replay exactly these.
 */
export const sequencedFrameSchemas = {
  message: v.object({
    type: v.literal('message'),
    ...sequenced,
    id: Id,
    clientId: v.optional(Id),
    author: Author,
    body: Body,
  }),
  'conversation.started': v.object({ type: v.literal('conversation.started'), ...sequenced, visitor: VisitorInfo }),
  'conversation.assigned': v.object({ type: v.literal('conversation.assigned'), ...sequenced, agent: AgentInfo }),
  'conversation.transferred': v.object({
    type: v.literal('conversation.transferred'),
    ...sequenced,
    from: AgentInfo,
    to: AgentInfo,
    note: v.optional(ShortText(500)),
  }),
  'conversation.ended': v.object({
    type: v.literal('conversation.ended'),
    ...sequenced,
    by: v.picklist(['visitor', 'agent', 'system']),
  }),
  'survey.submitted': v.object({
    type: v.literal('survey.submitted'),
    ...sequenced,
    score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
    comment: v.optional(ShortText(1000)),
  }),
} as const;

const SequencedFrame = v.variant('type', Object.values(sequencedFrameSchemas));

const ConversationSummary = v.object({
  id: Id,
  status: ConversationStatus,
  lastSeq: Seq,
  startedAt: Timestamp,
  visitor: VisitorInfo,
  agent: v.optional(AgentInfo),
});

const QueueItem = v.object({
  conversationId: Id,
  visitor: VisitorInfo,
  since: Timestamp,
  firstMessage: v.optional(Body),
});

const CallMe = v.object({
  id: Id,
  visitorId: Id,
  conversationId: v.optional(Id),
  phone: ShortText(32),
  page: v.optional(Url),
  at: Timestamp,
  doneAt: v.optional(Timestamp),
});

const OfflineMessage = v.object({
  id: Id,
  email: Email,
  name: v.optional(ShortText(120)),
  body: Body,
  page: v.optional(Url),
  at: Timestamp,
  handledAt: v.optional(Timestamp),
});

const VisitorDetails = v.object({
  ...VisitorInfo.entries,
  userId: v.optional(ShortText(128)),
  page: v.optional(Url),
  referrer: v.optional(Url),
  language: v.optional(ShortText(35)),
  timezone: v.optional(ShortText(64)),
  custom: CustomData,
  firstSeen: Timestamp,
});

const TranscriptItem = v.object({
  conversationId: Id,
  status: ConversationStatus,
  visitor: VisitorInfo,
  agent: v.optional(AgentInfo),
  startedAt: Timestamp,
  endedAt: v.optional(Timestamp),
  /** The first visitor message, shortened. */
  preview: v.optional(ShortText(200)),
});

/**
 * What a visitor may receive (agents receive these too). The widget validates against this map
 * alone, so the agent-only schemas stay out of its bundle.
 */
export const visitorServerFrameSchemas = {
  ...sequencedFrameSchemas,
  welcome: v.object({
    type: v.literal('welcome'),
    v: v.number(),
    role: Role,
    self: v.object({ id: Id, name: v.optional(ShortText(120)) }),
    heartbeatMs: v.pipe(v.number(), v.integer(), v.minValue(1000)),
    /** Visitors: their latest conversation. Agents: the conversations assigned to them. */
    conversations: v.array(ConversationSummary),
  }),
  pong: v.object({ type: v.literal('pong'), t: v.optional(v.number()) }),
  'message.ack': v.object({
    type: v.literal('message.ack'),
    clientId: Id,
    conversationId: Id,
    seq: Seq,
    id: Id,
    at: Timestamp,
  }),
  typing: v.object({
    type: v.literal('typing'),
    conversationId: Id,
    role: Role,
    typing: v.boolean(),
    draft: v.optional(ShortText(limits.maxDraftChars)),
  }),
  'queue.position': v.object({
    type: v.literal('queue.position'),
    conversationId: Id,
    position: v.pipe(v.number(), v.integer(), v.minValue(1)),
  }),
  availability: v.object({ type: v.literal('availability'), online: v.boolean() }),
  reload: v.object({ type: v.literal('reload'), conversationId: Id, lastSeq: Seq }),
  'history.result': v.object({
    type: v.literal('history.result'),
    ref: Id,
    conversationId: Id,
    frames: v.array(SequencedFrame),
    more: v.boolean(),
  }),
  ok: v.object({ type: v.literal('ok'), ref: Id }),
  error: v.object({
    type: v.literal('error'),
    code: v.picklist(errorCodeList),
    message: ShortText(500),
    ref: v.optional(Id),
    clientId: v.optional(Id),
  }),
  'session.ended': v.object({
    type: v.literal('session.ended'),
    reason: v.picklist(['logout', 'cleared', 'expired']),
  }),
} as const;

/** What only agents receive. */
export const agentServerFrameSchemas = {
  queue: v.object({ type: v.literal('queue'), items: v.array(QueueItem) }),
  presence: v.object({
    type: v.literal('presence'),
    agents: v.array(v.object({ ...AgentInfo.entries, status: v.picklist(['online', 'paused', 'offline']) })),
  }),
  'agent.status': v.object({ type: v.literal('agent.status'), status: AgentStatus }),
  callme: v.object({ type: v.literal('callme'), request: CallMe }),
  offline: v.object({ type: v.literal('offline'), request: OfflineMessage }),
  'visitor.details': v.object({ type: v.literal('visitor.details'), ref: Id, visitor: VisitorDetails }),
  'transcripts.result': v.object({
    type: v.literal('transcripts.result'),
    ref: Id,
    items: v.pipe(v.array(TranscriptItem), v.maxLength(limits.transcriptPageLimit)),
    more: v.boolean(),
  }),
  'requests.result': v.object({
    type: v.literal('requests.result'),
    ref: Id,
    callme: v.optional(v.pipe(v.array(CallMe), v.maxLength(limits.transcriptPageLimit))),
    offline: v.optional(v.pipe(v.array(OfflineMessage), v.maxLength(limits.transcriptPageLimit))),
  }),
} as const;

export const serverFrameSchemas = { ...visitorServerFrameSchemas, ...agentServerFrameSchemas } as const;

type ServerSchemas = typeof serverFrameSchemas;
export type ServerFrameType = keyof ServerSchemas;
/** A frame sent by the server, narrowed by its `type`. */
export type ServerFrameOf<T extends ServerFrameType> = v.InferOutput<ServerSchemas[T]>;
export type ServerFrame = { [T in ServerFrameType]: ServerFrameOf<T> }[ServerFrameType];
export type SequencedFrameType = keyof typeof sequencedFrameSchemas;
export type SequencedFrame = ServerFrameOf<SequencedFrameType>;
export type ConversationSummary = v.InferOutput<typeof ConversationSummary>;
export type QueueItem = v.InferOutput<typeof QueueItem>;
export type CallMeRequest = v.InferOutput<typeof CallMe>;
export type OfflineRequest = v.InferOutput<typeof OfflineMessage>;
export type AgentInfo = v.InferOutput<typeof AgentInfo>;
export type VisitorInfo = v.InferOutput<typeof VisitorInfo>;
export type VisitorDetails = v.InferOutput<typeof VisitorDetails>;
export type TranscriptItem = v.InferOutput<typeof TranscriptItem>;

/** True for frames that belong to a conversation's durable, sequenced log. */
export function isSequenced(frame: ServerFrame): frame is SequencedFrame {
  return frame.type in sequencedFrameSchemas;
}
