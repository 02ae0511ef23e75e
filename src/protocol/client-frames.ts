/** Frames a visitor or agent sends to the server, one schema per type. */
import * as v from 'valibot';
import {
  AgentStatus,
  Body,
  CustomData,
  Email,
  Id,
  Phone,
  ResumePoint,
  Role,
  Seq,
  ShortText,
  Timestamp,
  Token,
  Url,
} from './fields.js';
import { limits } from './limits.js';

/**
 * What a visitor may send (agents send these too). The widget checks its frames against this map
 * alone, so the agent-only schemas stay out of its bundle.
 */
export const visitorClientFrameSchemas = {
  hello: v.object({
    type: v.literal('hello'),
    v: v.pipe(v.number(), v.safeInteger()),
    role: Role,
    token: Token,
    resume: v.optional(v.pipe(v.array(ResumePoint), v.maxLength(limits.maxResumePoints))),
  }),
  ping: v.object({ type: v.literal('ping'), t: v.optional(v.number()) }),
  'message.send': v.object({
    type: v.literal('message.send'),
    clientId: Id,
    /** Optional for visitors: their open conversation, or a new one. Required for agents. */
    conversationId: v.optional(Id),
    body: Body,
  }),
  typing: v.object({
    type: v.literal('typing'),
    conversationId: v.optional(Id),
    typing: v.boolean(),
    /** The visitor's unsent draft for the agent's sneak peek; never stored. */
    draft: v.optional(ShortText(limits.maxDraftChars)),
  }),
  'conversation.end': v.object({ type: v.literal('conversation.end'), ref: Id, conversationId: v.optional(Id) }),
  'callme.request': v.object({
    type: v.literal('callme.request'),
    ref: Id,
    phone: Phone,
    page: v.optional(Url),
  }),
  'offline.message': v.object({
    type: v.literal('offline.message'),
    ref: Id,
    email: Email,
    name: v.optional(ShortText(120)),
    body: Body,
    page: v.optional(Url),
  }),
  'survey.submit': v.object({
    type: v.literal('survey.submit'),
    ref: Id,
    conversationId: Id,
    score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
    comment: v.optional(ShortText(1000)),
  }),
  history: v.object({
    type: v.literal('history'),
    ref: Id,
    conversationId: Id,
    afterSeq: Seq,
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(limits.historyPageLimit))),
  }),
  'visitor.identify': v.object({
    type: v.literal('visitor.identify'),
    ref: Id,
    email: v.optional(Email),
    name: v.optional(ShortText(120)),
    userId: v.optional(ShortText(128)),
    /**
     * Proof from the site's backend: a JWT (HS256, signed with the widget secret, `sub` = userId,
     * optional `email`/`name`, with `exp`), or a hex HMAC-SHA256 of the userId (or email) under
     * the widget secret. Without it the identity is stored as unverified.
     */
    identityToken: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(4096))),
  }),
  'visitor.update': v.object({
    type: v.literal('visitor.update'),
    ref: Id,
    page: v.optional(Url),
    referrer: v.optional(v.union([Url, v.literal('')])),
    language: v.optional(ShortText(35)),
    timezone: v.optional(ShortText(64)),
    custom: v.optional(CustomData),
  }),
} as const;

/** What only agents send. */
export const agentClientFrameSchemas = {
  'conversation.take': v.object({ type: v.literal('conversation.take'), ref: Id, conversationId: Id }),
  'conversation.transfer': v.object({
    type: v.literal('conversation.transfer'),
    ref: Id,
    conversationId: Id,
    toAgentId: Id,
    note: v.optional(ShortText(500)),
  }),
  'agent.status': v.object({ type: v.literal('agent.status'), ref: Id, status: AgentStatus }),
  'callme.done': v.object({ type: v.literal('callme.done'), ref: Id, id: Id }),
  'offline.handled': v.object({ type: v.literal('offline.handled'), ref: Id, id: Id }),
  /** Agents: everything known about a visitor, for the details beside a chat. */
  'visitor.get': v.object({ type: v.literal('visitor.get'), ref: Id, visitorId: Id }),
  /** Agents: past conversations by visitor email and/or text, newest first, paged by `before`. */
  'transcripts.search': v.object({
    type: v.literal('transcripts.search'),
    ref: Id,
    email: v.optional(ShortText(254)),
    text: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
    before: v.optional(Timestamp),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(limits.transcriptPageLimit))),
  }),
  /** Agents: the call-me or offline-message inbox, newest first. */
  'requests.list': v.object({
    type: v.literal('requests.list'),
    ref: Id,
    kind: v.picklist(['callme', 'offline']),
    open: v.optional(v.boolean()),
  }),
} as const;

export const clientFrameSchemas = { ...visitorClientFrameSchemas, ...agentClientFrameSchemas } as const;

type ClientSchemas = typeof clientFrameSchemas;
export type ClientFrameType = keyof ClientSchemas;
/** A frame sent by a client, narrowed by its `type`. */
export type ClientFrameOf<T extends ClientFrameType> = v.InferOutput<ClientSchemas[T]>;
export type ClientFrame = { [T in ClientFrameType]: ClientFrameOf<T> }[ClientFrameType];
