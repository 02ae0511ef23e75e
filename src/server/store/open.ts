/** Opens the store: SQLite (WAL) in the data folder by default, PostgreSQL for a postgres:// URL. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type StoreKind } from './migrations.js';
import { runsOnSqlite } from './precompiled.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export interface Store {
  db: Kysely<Database>;
  kind: StoreKind;
  /** Where the data lives, without credentials, for logs. */
  location: string;
  /** Answers true when the database responds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
}

/** PostgreSQL returns bigint as text; our bigints are epoch milliseconds, safe as numbers. */
type Parser = (value: string) => unknown;
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): Parser =>
    oid === 20 ? Number : (pg.types.getTypeParser(oid, format) as Parser),
};

function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * @example
 * const store = await openStore({ dataDir: './data' });
 * await store.db.selectFrom('widgets').selectAll().execute();
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let kind: Store['kind'];
  let location: string;
  let stopSqlite = () => Promise.resolve();
  if (isPostgresUrl(options.databaseUrl)) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, types: pgTypes, max: 10 });
    // An idle connection dropped by the database (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (error) => console.error(`postgres connection lost: ${error.message}`));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
    const url = new URL(options.databaseUrl);
    location = `postgres://${url.host}${url.pathname}`;
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    location = join(options.dataDir, 'parley.db');
    const sqlite = openSqlite(location);
    stopSqlite = () => sqlite.close();
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite.database }) });
    runsOnSqlite(db, sqlite.database);
    kind = 'sqlite';
  }
  await migrateToLatest(db as Kysely<unknown>, kind);
  return {
    db,
    kind,
    location,
    async ping() {
      try {
        await db.selectFrom('accounts').select('id').limit(1).execute();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
      await stopSqlite();
    },
  };
}
