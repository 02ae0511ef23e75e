/** Field schemas shared by the client and server frames. */
import * as v from 'valibot';
import { limits } from './limits.js';

/** An opaque id: conversation, message, client id, request ref. */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\w-]+$/));
/** A per-conversation sequence number; 0 means "nothing seen yet". */
export const Seq = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** Milliseconds since the epoch. */
export const Timestamp = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
export const Role = v.picklist(['visitor', 'agent']);
export const Token = v.pipe(v.string(), v.minLength(16), v.maxLength(256));
export const Body = v.pipe(
  v.string(),
  v.maxLength(limits.maxBodyChars),
  v.check((text) => text.trim().length > 0, 'must not be blank'),
);
export const ShortText = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** Only http(s): pages and avatars are shown to agents, so `javascript:` and `data:` are refused. */
export const Url = v.pipe(v.string(), v.maxLength(2048), v.url(), v.regex(/^https?:\/\//i, 'must be an http(s) URL'));
export const Email = v.pipe(v.string(), v.maxLength(254), v.email());
export const Phone = v.pipe(v.string(), v.regex(/^\+?[\d ().-]{5,32}$/, 'must be a phone number'));
export const AgentStatus = v.picklist(['online', 'paused']);

export const AgentInfo = v.object({
  id: Id,
  name: ShortText(120),
  username: v.optional(ShortText(120)),
  avatarUrl: v.optional(Url),
});

export const VisitorInfo = v.object({
  id: Id,
  name: v.optional(ShortText(120)),
  email: v.optional(ShortText(254)),
  verified: v.boolean(),
});

export const Author = v.object({
  role: v.picklist(['visitor', 'agent', 'system']),
  id: v.optional(Id),
  name: v.optional(ShortText(120)),
});

export const ConversationStatus = v.picklist(['queued', 'active', 'ended']);

export const ResumePoint = v.object({ conversationId: Id, seq: Seq });

/** Flat key-value data a site attaches to the visitor; an array is not a record. */
export const CustomData = v.pipe(
  v.custom<object>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object',
  ),
  v.record(v.pipe(v.string(), v.maxLength(64)), v.union([ShortText(500), v.number(), v.boolean(), v.null()])),
  v.check((record) => Object.keys(record).length <= 50, 'at most 50 keys'),
);
