/**
 * Queries for the hot path, built and compiled by Kysely once and then run with new parameters:
 * the SQL stays typed and the same for both stores, without paying for the query builder and the
 * compiler on every message. Inside a transaction on SQLite they go to the driver directly.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult, SqliteDatabase, SqliteStatement } from 'kysely';

/** Stands in for a parameter while the query is compiled; never reaches the database. */
const placeholderPrefix = '\u0000parley-param:';

/** The SQLite driver behind a Kysely instance, when it has one (see `runsOnSqlite`). */
const sqliteDrivers = new WeakMap<object, SqliteDatabase>();

/**
 * Records that `db` runs on this SQLite connection, so precompiled statements can skip Kysely's
 * executor inside a transaction (Kysely then holds the only connection, so nothing interleaves).
 */
export function runsOnSqlite<DB>(db: Kysely<DB>, database: SqliteDatabase): void {
  sqliteDrivers.set(db, database);
}

export interface Precompiled<DB, P, R> {
  /** Runs the query on `executor` (the database or a transaction) with these parameters. */
  run(executor: Kysely<DB>, params: P): Promise<QueryResult<R>>;
}

/**
 * Compiles `build` once, with placeholders for the parameters it reads from `params`. Every
 * parameter must reach the SQL as a bound value (not inlined), or this throws at start-up.
 *
 * @example
 * const byId = precompile(db, (db, p: { id: string }) =>
 *   db.selectFrom('conversations').select('status').where('id', '=', p.id));
 * const { rows } = await byId.run(db, { id: 'c1' });
 */
export function precompile<DB, P extends Record<string, unknown>, R>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, params: P) => Compilable<R>,
): Precompiled<DB, P, R> {
  const names = new Set<string>();
  const placeholders = new Proxy({} as P, {
    get(_, name) {
      names.add(String(name));
      return `${placeholderPrefix}${String(name)}`;
    },
  });
  const compiled = build(db, placeholders).compile();
  if (compiled.sql.includes(placeholderPrefix))
    throw new Error(`precompiled query: a parameter was inlined into ${compiled.sql}`);
  // Position by position: the parameter's name, or (for values the query itself holds) undefined.
  const paramAt = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(placeholderPrefix)
      ? value.slice(placeholderPrefix.length)
      : undefined,
  );
  for (const name of names) {
    if (!paramAt.includes(name))
      throw new Error(`precompiled query: parameter "${name}" is not bound in ${compiled.sql}`);
  }
  const sqlite = sqliteDrivers.get(db);
  let statement: SqliteStatement | undefined;

  return {
    run(executor, params) {
      const parameters = new Array<unknown>(paramAt.length);
      for (let i = 0; i < paramAt.length; i++) {
        const name = paramAt[i];
        parameters[i] = name === undefined ? compiled.parameters[i] : params[name];
      }
      if (sqlite && executor.isTransaction) {
        statement ??= sqlite.prepare(compiled.sql);
        if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
        const { changes } = statement.run(parameters);
        return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes) });
      }
      const query: CompiledQuery<R> = {
        query: compiled.query,
        queryId: compiled.queryId,
        sql: compiled.sql,
        parameters,
      };
      return executor.executeQuery(query);
    },
  };
}
