/**
 * Schema migrations, written once with Kysely's schema builder for both SQLite and PostgreSQL;
 * where the two cannot share a statement (numbering existing rows), a migration takes the kind.
 */
import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/** The log's columns after its position, as every release has them: name, type, required. */
const logEntryColumns: [string, 'text' | 'bigint', boolean][] = [
  ['client_id', 'text', false],
  ['kind', 'text', true],
  ['author_role', 'text', true],
  ['author_id', 'text', false],
  ['author_name', 'text', false],
  ['body', 'text', false],
  ['data', 'text', false],
  ['created_at', 'bigint', true],
];

function withLogEntryColumns(table: CreateTableBuilder<string, string>): CreateTableBuilder<string, string> {
  return logEntryColumns.reduce(
    (builder, [name, type, required]) => builder.addColumn(name, type, (c) => (required ? c.notNull() : c)),
    table,
  );
}

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('widgets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('allowed_origins', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('username', 'text')
      .addColumn('avatar_url', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('max_chats', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('agent_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema
      .createTable('visitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
      .addColumn('name', 'text')
      .addColumn('email', 'text')
      .addColumn('user_id', 'text')
      .addColumn('verified', 'integer', (c) => c.notNull())
      .addColumn('custom', 'text', (c) => c.notNull())
      .addColumn('page', 'text')
      .addColumn('referrer', 'text')
      .addColumn('language', 'text')
      .addColumn('timezone', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('visitor_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('first_message', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('conversations_visitor')
      .on('conversations')
      .columns(['visitor_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('conversations_account_status')
      .on('conversations')
      .columns(['account_id', 'status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('conversations_agent_status')
      .on('conversations')
      .columns(['agent_id', 'status'])
      .execute();
    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .$call(withLogEntryColumns)
      .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
      .addUniqueConstraint('messages_conversation_client', ['conversation_id', 'client_id'])
      .execute();
    await db.schema.createIndex('messages_client').on('messages').column('client_id').execute();
    await db.schema
      .createTable('offline_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('client_ref', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('page', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('handled_at', 'bigint')
      .addColumn('handled_by', 'text')
      .addUniqueConstraint('offline_requests_visitor_ref', ['visitor_id', 'client_ref'])
      .execute();
    await db.schema
      .createTable('callme_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id'))
      .addColumn('conversation_id', 'text')
      .addColumn('client_ref', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('page', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('done_at', 'bigint')
      .addColumn('done_by', 'text')
      .addUniqueConstraint('callme_requests_visitor_ref', ['visitor_id', 'client_ref'])
      .execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('data', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_log_account_time')
      .on('audit_log')
      .columns(['account_id', 'created_at'])
      .execute();
  },
};

/**
 * Every message insert paid for an index on client_id alone; the unique (conversation, client id)
 * key answers the same look-ups (through conversations_visitor for a visitor's retries).
 */
const messagesWithoutClientIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('messages_client').execute();
  },
};

/**
 * The log is keyed by its position, (conversation, seq), which every read uses, and a
 * conversation is named in it by a small integer key instead of its 23-character id. Nothing
 * looks a message up by id alone (ids are unique by construction, 80 random bits), so that index
 * goes. Each stored message then maintains three small B-trees instead of four wide ones: about
 * a fifth less server CPU per relayed message on SQLite (bench:server).
 */
const messagesKeyedByPosition = (kind: StoreKind): Migration => ({
  async up(db: Kysely<unknown>) {
    if (kind === 'postgres') {
      await db.schema
        .alterTable('conversations')
        .addColumn('log_key', 'integer', (c) => c.generatedByDefaultAsIdentity())
        .execute();
    } else {
      // SQLite cannot add a generated column that numbers rows: existing rows take their rowid,
      // and new ones the next key, given by a trigger (one writer, so max + 1 cannot collide).
      await db.schema.alterTable('conversations').addColumn('log_key', 'integer').execute();
      await sql`update conversations set log_key = rowid`.execute(db);
      await sql`create trigger conversations_log_key after insert on conversations when new.log_key is null
        begin update conversations set log_key = (select coalesce(max(log_key), 0) + 1 from conversations) where id = new.id; end`.execute(
        db,
      );
    }
    await db.schema.createIndex('conversations_log_key').unique().on('conversations').column('log_key').execute();
    await db.schema
      .createTable('messages_by_position')
      .addColumn('conversation_key', 'integer', (c) => c.notNull().references('conversations.log_key'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .$call(withLogEntryColumns)
      .addPrimaryKeyConstraint('messages_position', ['conversation_key', 'seq'])
      .addUniqueConstraint('messages_client_ref', ['conversation_key', 'client_id'])
      .execute();
    const copied = ['seq', 'id', ...logEntryColumns.map(([name]) => name)];
    const columns = sql.join(copied.map((column) => sql.ref(column)));
    const fromOld = sql.join(copied.map((column) => sql.ref(`m.${column}`)));
    await sql`insert into messages_by_position (conversation_key, ${columns})
      select c.log_key, ${fromOld} from messages m join conversations c on c.id = m.conversation_id`.execute(db);
    await db.schema.dropTable('messages').execute();
    await db.schema.alterTable('messages_by_position').renameTo('messages').execute();
  },
});

export type StoreKind = 'sqlite' | 'postgres';

const migrationsFor = (kind: StoreKind): Record<string, Migration> => ({
  '0001_initial': initial,
  '0002_messages_without_client_index': messagesWithoutClientIndex,
  '0003_messages_keyed_by_position': messagesKeyedByPosition(kind),
});

/**
 * Brings the schema up to date; safe to call on every start. With `upTo`, stops after that
 * migration (tests build a store as an older release left it).
 *
 * @example
 * await migrateToLatest(db, 'sqlite');
 */
export async function migrateToLatest(db: Kysely<unknown>, kind: StoreKind, upTo?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrationsFor(kind)) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
