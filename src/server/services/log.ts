/**
 * The conversation log: every message and conversation event gets the next gap-free sequence
 * number in the same transaction that stores it, and reads back as the frame clients see.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  ParleyError,
  type AgentInfo,
  type SequencedFrame,
  type SequencedFrameType,
  type VisitorInfo,
} from '../../protocol/index.js';
import { precompile } from '../store/precompiled.js';
import type { Database } from '../store/schema.js';
import { newId } from './ids.js';

type Row = Database['messages'];
type MessageFrame = Extract<SequencedFrame, { type: 'message' }>;

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

/** The state of a conversation that decides who may write in it, read in the writing transaction. */
export type ConversationState = Pick<
  Database['conversations'],
  'id' | 'visitor_id' | 'account_id' | 'agent_id' | 'status' | 'last_seq'
>;

/** An entry to append, and the rule that may refuse it once the conversation is locked. */
export interface Append {
  entry: LogEntry;
  /** Why the entry may not be written in the conversation as it is now; undefined allows it. */
  refuse?: (conversation: ConversationState) => ParleyError | undefined;
}

/** What became of one entry: stored with its frame, refused, or a client id the log already holds. */
export type Appended = { stored: SequencedFrame } | { refused: ParleyError } | { duplicate: true };

export type Log = ReturnType<typeof createLog>;

/**
 * The log's writes, as statements compiled once for the store at hand (they run for every
 * message, so they skip Kysely's builder and compiler).
 *
 * @example
 * const log = createLog(db);
 * const frame = await db.transaction().execute((trx) => log.append(trx, conversationId, entry, Date.now()));
 */
export function createLog(db: Kysely<Database>) {
  // Takes `count` sequence numbers at once; the row stays locked until the transaction ends, so
  // concurrent writers to one conversation queue up (PostgreSQL) or cannot overlap (SQLite).
  const reserve = precompile(db, (db, p: { id: string; count: number }) =>
    db
      .updateTable('conversations')
      .set((eb) => ({ last_seq: eb('last_seq', '+', p.count) }))
      .where('id', '=', p.id)
      .returning(['id', 'visitor_id', 'account_id', 'agent_id', 'status', 'last_seq']),
  );
  const giveBack = precompile(db, (db, p: { id: string; lastSeq: number }) =>
    db.updateTable('conversations').set({ last_seq: p.lastSeq }).where('id', '=', p.id),
  );
  // A client id the conversation already holds inserts nothing (and takes no seq): the caller
  // answers with the first attempt's ack.
  const insert = precompile(db, (db, p: Row) =>
    db
      .insertInto('messages')
      .values({
        id: p.id,
        conversation_id: p.conversation_id,
        seq: p.seq,
        client_id: p.client_id,
        kind: p.kind,
        author_role: p.author_role,
        author_id: p.author_id,
        author_name: p.author_name,
        body: p.body,
        data: p.data,
        created_at: p.created_at,
      })
      .onConflict((conflict) => conflict.columns(['conversation_id', 'client_id']).doNothing()),
  );

  /**
   * Appends entries to one conversation in order, with consecutive seqs, inside the caller's
   * transaction. Refused and duplicate entries take no seq, so the log stays gap-free.
   */
  async function appendAll(
    trx: Transaction<Database>,
    conversationId: string,
    appends: Append[],
    at: number,
  ): Promise<Appended[]> {
    const [conversation] = (await reserve.run(trx, { id: conversationId, count: appends.length })).rows;
    if (!conversation) return appends.map(() => ({ refused: new ParleyError('not_found', 'no such conversation') }));
    let seq = conversation.last_seq - appends.length;
    const outcomes: Appended[] = [];
    for (const { entry, refuse } of appends) {
      const refused = refuse?.(conversation);
      if (refused) {
        outcomes.push({ refused });
        continue;
      }
      const row: Row = {
        id: newId(),
        conversation_id: conversationId,
        seq: seq + 1,
        created_at: at,
        ...entryColumns(entry),
      };
      const inserted = await insert.run(trx, row);
      if (Number(inserted.numAffectedRows) === 0) {
        outcomes.push({ duplicate: true });
        continue;
      }
      seq = row.seq;
      outcomes.push({ stored: frameOfRow(row) });
    }
    if (seq !== conversation.last_seq) await giveBack.run(trx, { id: conversationId, lastSeq: seq });
    return outcomes;
  }

  return {
    appendAll,

    /** Appends one entry; the caller's transaction makes the seq bump and the insert atomic. */
    async append(
      trx: Transaction<Database>,
      conversationId: string,
      entry: LogEntry,
      at: number,
    ): Promise<SequencedFrame> {
      const [outcome] = await appendAll(trx, conversationId, [{ entry }], at);
      if (outcome && 'stored' in outcome) return outcome.stored;
      throw outcome && 'refused' in outcome ? outcome.refused : new Error("the entry's client id is already stored");
    },
  };
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
  if (row.kind === 'message') {
    // Built field by field (every message passes here): absent values are left out, not null.
    const author: MessageFrame['author'] = { role: row.author_role };
    if (row.author_id !== null) author.id = row.author_id;
    if (row.author_name !== null) author.name = row.author_name;
    const frame: MessageFrame = {
      type: 'message',
      conversationId: row.conversation_id,
      seq: row.seq,
      at: row.created_at,
      id: row.id,
      author,
      body: row.body ?? '',
    };
    if (row.client_id !== null) frame.clientId = row.client_id;
    return frame;
  }
  const data = JSON.parse(row.data ?? '{}') as Record<string, unknown>;
  const base = { conversationId: row.conversation_id, seq: row.seq, at: row.created_at };
  return { type: row.kind as Exclude<SequencedFrameType, 'message'>, ...base, ...data } as SequencedFrame;
}
