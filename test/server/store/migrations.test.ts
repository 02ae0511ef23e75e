/**
 * Schema upgrades (src/server/store/migrations.ts): a store left by an older release opens with
 * every message intact and in its own conversation, and the log keeps its guarantees after.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Selectable } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLog } from '../../../src/server/services/log.js';
import { migrateToLatest } from '../../../src/server/store/migrations.js';
import { openStore, type Store } from '../../../src/server/store/open.js';
import type { Database } from '../../../src/server/store/schema.js';
import { storageFor, storedLogOf, storeKinds, type StoreKind } from '../harness.js';

type LogRow = Selectable<Database['messages']>;

/** The tables as release 0002 left them: conversations had no log key, messages named theirs by id. */
type Release0002 = Omit<Database, 'conversations' | 'messages'> & {
  conversations: Omit<Database['conversations'], 'log_key'>;
  messages: Omit<LogRow, 'conversation_key'> & { conversation_id: string };
};

/** A store at `migration`, opened without the server (which would upgrade it). */
async function storeAt(kind: StoreKind, storage: { dataDir: string; databaseUrl?: string }, migration: string) {
  const db = new Kysely<Release0002>({
    dialect: storage.databaseUrl
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: storage.databaseUrl, max: 1 }) })
      : new SqliteDialect({ database: new BetterSqlite3(join(storage.dataDir, 'parley.db')) }),
  });
  await migrateToLatest(db as Kysely<unknown>, kind, migration);
  return db;
}

/** A log row of a visitor's message, or of a conversation event when `body` is null. */
function logRow(
  conversation: string,
  seq: number,
  clientId: string | null,
  body: string | null,
): Omit<LogRow, 'conversation_key'> {
  return {
    seq,
    id: `${conversation}-${seq}`,
    client_id: clientId,
    kind: body === null ? 'conversation.started' : 'message',
    author_role: body === null ? 'system' : 'visitor',
    author_id: body === null ? null : 'vis',
    author_name: null,
    body,
    data: body === null ? '{"visitor":{"id":"vis"}}' : null,
    created_at: 100 + seq,
  };
}

/** A conversation of the one visitor, as both releases store it (less the log key). */
function conversationRow(id: string): Omit<Database['conversations'], 'log_key'> {
  return {
    id,
    widget_id: 'wid',
    account_id: 'acc',
    visitor_id: 'vis',
    status: 'active',
    agent_id: null,
    last_seq: 0,
    first_message: null,
    created_at: 1,
    ended_at: null,
  };
}

/** Two conversations as release 0002 stored them; the first has a started event and three messages. */
async function seedRelease0002(db: Kysely<Release0002>) {
  await db.insertInto('accounts').values({ id: 'acc', name: 'Shop', created_at: 1 }).execute();
  await db
    .insertInto('widgets')
    .values({
      id: 'wid',
      account_id: 'acc',
      name: 'Shop',
      allowed_origins: '[]',
      settings: '{}',
      secret: 's',
      created_at: 1,
    })
    .execute();
  await db
    .insertInto('visitors')
    .values({
      id: 'vis',
      widget_id: 'wid',
      name: null,
      email: null,
      user_id: null,
      verified: 0,
      custom: '{}',
      page: null,
      referrer: null,
      language: null,
      timezone: null,
      created_at: 1,
      updated_at: 1,
    })
    .execute();
  const logs = {
    boots: [
      logRow('boots', 1, null, null),
      logRow('boots', 2, 'c-1', 'Hello'),
      logRow('boots', 3, 'c-2', 'Boots in 44?'),
      logRow('boots', 4, 'c-3', 'Thanks'),
    ],
    returns: [logRow('returns', 1, null, null), logRow('returns', 2, 'c-1', 'Can I return these?')],
  };
  for (const [id, rows] of Object.entries(logs)) {
    await db
      .insertInto('conversations')
      .values({ ...conversationRow(id), last_seq: rows.length, first_message: rows[1]!.body })
      .execute();
    await db
      .insertInto('messages')
      .values(rows.map((row) => ({ ...row, conversation_id: id })))
      .execute();
  }
  return logs;
}

const withoutKey = ({ conversation_key: _, ...row }: LogRow) => row;

describe.each(storeKinds)('schema upgrades (%s)', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function upgradedStore(): Promise<{ store: Store; before: Awaited<ReturnType<typeof seedRelease0002>> }> {
    const storage = await storageFor(kind);
    cleanups.push(storage.cleanup);
    const old = await storeAt(kind, storage, '0002_messages_without_client_index');
    const before = await seedRelease0002(old);
    await old.destroy();
    const store = await openStore(storage);
    cleanups.push(() => store.close());
    return { store, before };
  }

  it('keeps every message of a store left by release 0002 in its own conversation, in log order', async () => {
    const { store, before } = await upgradedStore();
    for (const [conversationId, rows] of Object.entries(before)) {
      const after = await storedLogOf(store.db, conversationId).selectAll().orderBy('seq').execute();
      expect(after.map(withoutKey)).toEqual(rows);
    }
  });

  it('indexes the log by position and client id only, so each insert maintains three B-trees, not four', async () => {
    const { store } = await upgradedStore();
    const { rows } = await sql<{ name: string }>`${sql.raw(
      kind === 'sqlite'
        ? "select name from sqlite_master where type = 'index' and tbl_name = 'messages'"
        : "select indexname as name from pg_indexes where tablename = 'messages'",
    )}`.execute(store.db);
    expect(rows).toHaveLength(2);
  });

  it('gives conversations started after the upgrade a log key of their own', async () => {
    const { store } = await upgradedStore();
    for (const id of ['later', 'latest']) {
      await store.db.insertInto('conversations').values(conversationRow(id)).execute();
    }
    const keys = await store.db.selectFrom('conversations').select(['id', 'log_key']).execute();
    expect(keys).toHaveLength(4);
    expect(new Set(keys.map((row) => row.log_key)).size).toBe(4);
    expect(keys.every((row) => Number.isInteger(row.log_key))).toBe(true);
  });

  it('continues the log after the upgrade: the next seq, a retried client id stored once, a taken seq refused', async () => {
    const { store } = await upgradedStore();
    const log = createLog(store.db);
    const author = { role: 'visitor' as const, id: 'vis' };
    const append = (clientId: string, body: string) =>
      store.db
        .transaction()
        .execute((trx) => log.appendAll(trx, 'boots', [{ entry: { kind: 'message', body, clientId, author } }], 200));

    expect(await append('c-4', 'One more')).toMatchObject([
      { stored: { conversationId: 'boots', seq: 5, clientId: 'c-4', body: 'One more' } },
    ]);
    expect(await append('c-1', 'Hello')).toEqual([{ duplicate: true }]);

    const { log_key: boots } = await store.db
      .selectFrom('conversations')
      .select('log_key')
      .where('id', '=', 'boots')
      .executeTakeFirstOrThrow();
    const taken = store.db
      .insertInto('messages')
      .values({ ...logRow('boots', 3, null, 'clash'), conversation_key: boots })
      .execute();
    await expect(taken).rejects.toThrow(/unique|duplicate/i);
    const seqs = await storedLogOf(store.db, 'boots').select('seq').orderBy('seq').execute();
    expect(seqs.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    const other = await storedLogOf(store.db, 'returns').select('seq').execute();
    expect(other).toHaveLength(2);
  });
});
