/**
 * Table types for Kysely. Both stores share them: times are epoch milliseconds (bigint), flags
 * are 0/1 integers and JSON goes in text columns, so one set of queries serves SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface Database {
  accounts: { id: string; name: string; created_at: number };
  widgets: {
    id: string;
    account_id: string;
    name: string;
    /** JSON array of allowed page origins; "*" allows any. */
    allowed_origins: string;
    /** JSON of the public widget settings (theme, texts, proactive messages). */
    settings: string;
    /** Shared secret for HMAC identity verification. */
    secret: string;
    created_at: number;
  };
  agents: {
    id: string;
    account_id: string;
    email: string;
    name: string;
    username: string | null;
    avatar_url: string | null;
    password_hash: string;
    status: 'online' | 'paused';
    max_chats: number;
    created_at: number;
  };
  agent_sessions: {
    id: string;
    agent_id: string;
    token_hash: string;
    created_at: number;
    expires_at: number;
    ended_at: number | null;
  };
  visitors: {
    id: string;
    widget_id: string;
    name: string | null;
    email: string | null;
    user_id: string | null;
    verified: number;
    custom: string;
    page: string | null;
    referrer: string | null;
    language: string | null;
    timezone: string | null;
    created_at: number;
    updated_at: number;
  };
  visitor_sessions: {
    id: string;
    visitor_id: string;
    widget_id: string;
    token_hash: string;
    created_at: number;
    ended_at: number | null;
  };
  conversations: {
    id: string;
    widget_id: string;
    account_id: string;
    visitor_id: string;
    status: 'queued' | 'active' | 'ended';
    agent_id: string | null;
    /** The last sequence number handed out; bumped in the same transaction as each log row. */
    last_seq: number;
    /** The conversation's small integer key in the log (the store assigns it on insert). */
    log_key: Generated<number>;
    first_message: string | null;
    created_at: number;
    ended_at: number | null;
  };
  /** The durable conversation log: messages and conversation events, gap-free per conversation. */
  messages: {
    /** The conversation's `log_key`: a small key keeps the log's indexes small. */
    conversation_key: number;
    seq: number;
    id: string;
    client_id: string | null;
    kind: string;
    author_role: 'visitor' | 'agent' | 'system';
    author_id: string | null;
    author_name: string | null;
    body: string | null;
    /** JSON of the event's other fields (agent info, note, score...). */
    data: string | null;
    created_at: number;
  };
  offline_requests: {
    id: string;
    widget_id: string;
    account_id: string;
    visitor_id: string;
    client_ref: string;
    email: string;
    name: string | null;
    body: string;
    page: string | null;
    created_at: number;
    handled_at: number | null;
    handled_by: string | null;
  };
  callme_requests: {
    id: string;
    widget_id: string;
    account_id: string;
    visitor_id: string;
    conversation_id: string | null;
    client_ref: string;
    phone: string;
    page: string | null;
    created_at: number;
    done_at: number | null;
    done_by: string | null;
  };
  audit_log: {
    id: string;
    account_id: string;
    actor_type: string;
    actor_id: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    data: string | null;
    created_at: number;
  };
}
