/** Read models shared by several services: conversation summaries, visitor and queue views. */
import type { Kysely } from 'kysely';
import type { ConversationSummary, QueueItem, VisitorInfo } from '../../protocol/index.js';
import type { Database } from '../store/schema.js';
import { agentInfo, compact } from './context.js';

export function visitorInfo(row: {
  id: string;
  name: string | null;
  email: string | null;
  verified: number;
}): VisitorInfo {
  return compact({
    id: row.id,
    name: row.name ?? undefined,
    email: row.email ?? undefined,
    verified: row.verified === 1,
  });
}

/** Conversations with their visitor and agent: the rows behind summaries and transcripts. */
export function conversationRows(db: Kysely<Database>) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .leftJoin('agents as a', 'a.id', 'c.agent_id')
    .select([
      'c.id',
      'c.status',
      'c.last_seq',
      'c.created_at',
      'c.ended_at',
      'c.first_message',
      'v.id as visitor_id',
      'v.name as visitor_name',
      'v.email as visitor_email',
      'v.verified',
      'a.id as agent_id',
      'a.name as agent_name',
      'a.username as agent_username',
      'a.avatar_url as agent_avatar_url',
    ]);
}

type ConversationRow = Awaited<ReturnType<ReturnType<typeof conversationRows>['executeTakeFirstOrThrow']>>;

/** The row's visitor, as every frame shows one. */
export function visitorOfRow(row: ConversationRow) {
  return visitorInfo({ id: row.visitor_id, name: row.visitor_name, email: row.visitor_email, verified: row.verified });
}

/** The row's agent, if one was ever assigned. */
export function agentOfRow(row: ConversationRow) {
  return row.agent_id && row.agent_name !== null
    ? agentInfo({
        id: row.agent_id,
        name: row.agent_name,
        username: row.agent_username,
        avatar_url: row.agent_avatar_url,
      })
    : undefined;
}

function summaryOf(row: ConversationRow): ConversationSummary {
  return compact({
    id: row.id,
    status: row.status,
    lastSeq: row.last_seq,
    startedAt: row.created_at,
    visitor: visitorOfRow(row),
    agent: agentOfRow(row),
  });
}

/** A visitor sees their latest conversation, ended or not (the survey follows an end). */
export async function visitorConversations(db: Kysely<Database>, visitorId: string): Promise<ConversationSummary[]> {
  const rows = await conversationRows(db)
    .where('c.visitor_id', '=', visitorId)
    .orderBy('c.created_at', 'desc')
    .limit(1)
    .execute();
  return rows.map(summaryOf);
}

/** An agent sees the active conversations assigned to them. */
export async function agentConversations(db: Kysely<Database>, agentId: string): Promise<ConversationSummary[]> {
  const rows = await conversationRows(db)
    .where('c.agent_id', '=', agentId)
    .where('c.status', '=', 'active')
    .orderBy('c.created_at', 'asc')
    .execute();
  return rows.map(summaryOf);
}

/** Waiting conversations of an account, oldest first. */
export async function queueItems(db: Kysely<Database>, accountId: string): Promise<QueueItem[]> {
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .select(['c.id', 'c.created_at', 'c.first_message', 'v.id as visitor_id', 'v.name', 'v.email', 'v.verified'])
    .where('c.account_id', '=', accountId)
    .where('c.status', '=', 'queued')
    .orderBy('c.created_at', 'asc')
    .orderBy('c.id', 'asc')
    .execute();
  return rows.map((row) =>
    compact({
      conversationId: row.id,
      visitor: visitorInfo({ id: row.visitor_id, name: row.name, email: row.email, verified: row.verified }),
      since: row.created_at,
      firstMessage: row.first_message?.trim().slice(0, 200),
    }),
  );
}
