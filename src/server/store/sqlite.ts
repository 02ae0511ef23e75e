/**
 * SQLite tuned for a chat's write pattern: prepared statements are reused (Kysely prepares on
 * every query otherwise), and WAL checkpoints, the only step that waits on the disk, run on a
 * worker thread so a commit never stalls the event loop.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared; the app uses a few dozen, the bound guards against surprises. */
const statementCacheSize = 500;
const checkpointEveryMs = 1000;

/**
 * The checkpointer: a second connection that folds the WAL back into the database file. It is
 * given as source (eval) so the same code runs from the TypeScript sources in tests and from dist.
 */
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(TRUNCATE)'); } finally { db.close(); parentPort.close(); } });
`;

export interface TunedSqlite {
  database: SqliteDatabase;
  /** Stops the checkpointer after a last checkpoint, then closes the connection. */
  close(): Promise<void>;
}

export function openSqlite(file: string): TunedSqlite {
  const sqlite = new BetterSqlite3(file);
  // WAL lets readers run beside the writer; NORMAL sync keeps every commit across a process
  // crash (SIGKILL) and only risks the last commits on a power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('wal_autocheckpoint = 0');

  const statements = new Map<string, SqliteStatement>();
  const database: SqliteDatabase = {
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= statementCacheSize) statements.delete(statements.keys().next().value!);
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };

  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const checkpointer = new Worker(checkpointerSource, {
    eval: true,
    workerData: { file, driver, everyMs: checkpointEveryMs },
  });
  checkpointer.on('message', (error) => console.error(`sqlite checkpoint failed: ${String(error)}`));
  checkpointer.on('error', (error) => console.error(`sqlite checkpointer stopped: ${error.message}`));
  checkpointer.unref();

  return {
    database,
    async close() {
      const exited = new Promise((resolve) => checkpointer.once('exit', resolve));
      checkpointer.postMessage('stop');
      await exited;
    },
  };
}
