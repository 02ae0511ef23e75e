/**
 * The conversation log: every message and conversation event gets the next gap-free sequence
 * number in the same transaction that stores it, and reads back as the frame clients see.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  ParleyError,
  type AgentInfo,
  type SequencedFrame,
  type SequencedFrameType,
  type VisitorInfo,
} from '../../protocol/index.js';
import { precompile, precompileInsert } from '../store/precompiled.js';
import type { Database } from '../store/schema.js';
import { newId } from './ids.js';

type Row = Database['messages'];
type MessageFrame = Extract<SequencedFrame, { type: 'message' }>;
/** Every column of a log row, in the order the insert binds them. */
const columns = [
  'conversation_key',
  'seq',
  'id',
  'client_id',
  'kind',
  'author_role',
  'author_id',
  'author_name',
  'body',
  'data',
  'created_at',
] as const satisfies readonly (keyof Row)[];

/** Entries appended together met a client id the log already holds; append them one at a time. */
class RepeatedClientIdError extends Error {
  constructor() {
    super('a client id in this batch is already stored');
    this.name = 'RepeatedClientIdError';
  }
}

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
  Selectable<Database['conversations']>,
  'id' | 'visitor_id' | 'account_id' | 'agent_id' | 'status' | 'last_seq' | 'log_key'
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
      .returning(['id', 'visitor_id', 'account_id', 'agent_id', 'status', 'last_seq', 'log_key']),
  );
  const giveBack = precompile(db, (db, p: { id: string; lastSeq: number }) =>
    db.updateTable('conversations').set({ last_seq: p.lastSeq }).where('id', '=', p.id),
  );
  // A client id the conversation already holds inserts nothing (and must take no seq).
  const insert = precompileInsert(db, columns, (db, rows: Row[]) =>
    db
      .insertInto('messages')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['conversation_key', 'client_id']).doNothing()),
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
    const rows: Row[] = [];
    for (const { entry, refuse } of appends) {
      const refused = refuse?.(conversation);
      if (refused) {
        outcomes.push({ refused });
        continue;
      }
      seq += 1;
      const row: Row = {
        conversation_key: conversation.log_key,
        seq,
        id: newId(),
        created_at: at,
        ...entryColumns(entry),
      };
      rows.push(row);
      outcomes.push({ stored: frameOfRow(row, conversationId) });
    }
    if (rows.length > 0) {
      const inserted = Number((await insert.run(trx, rows)).numAffectedRows ?? 0);
      if (inserted < rows.length) {
        // A client id the log already holds. Alone, the entry is a duplicate that took no seq;
        // among others it left a hole in their seqs, so the caller undoes the transaction and
        // appends them one at a time.
        if (rows.length > 1) throw new RepeatedClientIdError();
        seq -= 1;
        outcomes[outcomes.findIndex((outcome) => 'stored' in outcome)] = { duplicate: true };
      }
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

function entryColumns(entry: LogEntry): Omit<Row, 'conversation_key' | 'seq' | 'id' | 'created_at'> {
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

/** Turns a stored log row of `conversationId` back into the frame every participant receives. */
export function frameOfRow(row: Row, conversationId: string): SequencedFrame {
  if (row.kind === 'message') {
    // Built field by field (every message passes here): absent values are left out, not null.
    const author: MessageFrame['author'] = { role: row.author_role };
    if (row.author_id !== null) author.id = row.author_id;
    if (row.author_name !== null) author.name = row.author_name;
    const frame: MessageFrame = {
      type: 'message',
      conversationId,
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
  const base = { conversationId, seq: row.seq, at: row.created_at };
  return { type: row.kind as Exclude<SequencedFrameType, 'message'>, ...base, ...data } as SequencedFrame;
}
