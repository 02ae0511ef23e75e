/**
 * The conversation log: every message and conversation event gets the next gap-free sequence
 * number in the same transaction that stores it, and reads back as the frame clients see.
 */
import type { Transaction } from 'kysely';
import type { AgentInfo, SequencedFrame, SequencedFrameType, VisitorInfo } from '../../protocol/index.js';
import type { Database } from '../store/schema.js';
import { compact } from './context.js';
import { newId } from './ids.js';

type Row = Database['messages'];

/** The type-specific fields of each sequenced frame, as stored in `data` or `body`. */
export type LogEntry =
  | {
      kind: 'message';
      body: string;
      clientId?: string;
      author: { role: 'visitor' | 'agent'; id: string; name?: string };
    }
  | { kind: 'conversation.started'; visitor: VisitorInfo }
  | { kind: 'conversation.assigned'; agent: AgentInfo }
  | { kind: 'conversation.transferred'; from: AgentInfo; to: AgentInfo; note?: string }
  | { kind: 'conversation.ended'; by: 'visitor' | 'agent' | 'system' }
  | { kind: 'survey.submitted'; score: number; comment?: string };

/** Appends one entry; the caller's transaction makes the seq bump and the insert atomic. */
export async function appendToLog(
  trx: Transaction<Database>,
  conversationId: string,
  entry: LogEntry,
  at: number,
): Promise<SequencedFrame> {
  const bumped = await trx
    .updateTable('conversations')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', conversationId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const row: Row = {
    id: newId(),
    conversation_id: conversationId,
    seq: bumped.last_seq,
    created_at: at,
    ...entryColumns(entry),
  };
  await trx.insertInto('messages').values(row).execute();
  return frameOfRow(row);
}

function entryColumns(entry: LogEntry): Omit<Row, 'id' | 'conversation_id' | 'seq' | 'created_at'> {
  if (entry.kind === 'message') {
    return {
      kind: entry.kind,
      client_id: entry.clientId ?? null,
      author_role: entry.author.role,
      author_id: entry.author.id,
      author_name: entry.author.name ?? null,
      body: entry.body,
      data: null,
    };
  }
  const { kind, ...data } = entry;
  return {
    kind,
    client_id: null,
    author_role: 'system',
    author_id: null,
    author_name: null,
    body: null,
    data: JSON.stringify(data),
  };
}

/** Turns a stored log row back into the frame every participant receives. */
export function frameOfRow(row: Row): SequencedFrame {
  const base = { conversationId: row.conversation_id, seq: row.seq, at: row.created_at };
  if (row.kind === 'message') {
    return compact({
      type: 'message' as const,
      ...base,
      id: row.id,
      clientId: row.client_id ?? undefined,
      author: compact({ role: row.author_role, id: row.author_id ?? undefined, name: row.author_name ?? undefined }),
      body: row.body ?? '',
    });
  }
  const data = JSON.parse(row.data ?? '{}') as Record<string, unknown>;
  return { type: row.kind as Exclude<SequencedFrameType, 'message'>, ...base, ...data } as SequencedFrame;
}
