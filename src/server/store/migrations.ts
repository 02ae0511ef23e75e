/** Schema migrations, written once with Kysely's schema builder for both SQLite and PostgreSQL. */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

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
      .addColumn('client_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('author_role', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text')
      .addColumn('author_name', 'text')
      .addColumn('body', 'text')
      .addColumn('data', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
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

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_messages_without_client_index': messagesWithoutClientIndex,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; safe to call on every start. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
