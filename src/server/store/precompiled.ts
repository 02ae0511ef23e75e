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
 * A query compiled once: its SQL and, at each parameter position, the name of the parameter that
 * goes there (undefined for a value the query itself holds).
 */
interface Prepared<R> {
  compiled: CompiledQuery<R>;
  paramAt: (string | undefined)[];
  sqlite: SqliteDatabase | undefined;
  statement?: SqliteStatement;
}

function prepare<DB, P extends Record<string, unknown>, R>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, params: P) => Compilable<R>,
): Prepared<R> {
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
  const paramAt = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(placeholderPrefix)
      ? value.slice(placeholderPrefix.length)
      : undefined,
  );
  for (const name of names) {
    if (!paramAt.includes(name))
      throw new Error(`precompiled query: parameter "${name}" is not bound in ${compiled.sql}`);
  }
  return { compiled, paramAt, sqlite: sqliteDrivers.get(db) };
}

function execute<DB, R>(executor: Kysely<DB>, prepared: Prepared<R>, parameters: unknown[]): Promise<QueryResult<R>> {
  const { compiled, sqlite } = prepared;
  if (sqlite && executor.isTransaction) {
    const statement = (prepared.statement ??= sqlite.prepare(compiled.sql));
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes } = statement.run(parameters);
    return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes) });
  }
  return executor.executeQuery({ query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, parameters });
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
  const prepared = prepare(db, build);
  const { paramAt } = prepared;
  return {
    run(executor, params) {
      const parameters = new Array<unknown>(paramAt.length);
      for (let i = 0; i < paramAt.length; i++) {
        const name = paramAt[i];
        parameters[i] = name === undefined ? prepared.compiled.parameters[i] : params[name];
      }
      return execute(executor, prepared, parameters);
    },
  };
}

/**
 * An INSERT of several rows in one statement (one round trip on PostgreSQL), compiled once per
 * row count. `build` gets rows of placeholders with every column in `columns`; the parameters
 * must come out row by row in that column order, or this throws when the count is first used.
 *
 * @example
 * const insert = precompileInsert(db, ['id', 'name'], (db, rows) => db.insertInto('accounts').values(rows));
 * await insert.run(trx, [{ id: 'a1', name: 'One' }, { id: 'a2', name: 'Two' }]);
 */
export function precompileInsert<DB, Row extends Record<string, unknown>>(
  db: Kysely<DB>,
  columns: readonly (keyof Row & string)[],
  build: (db: Kysely<DB>, rows: Row[]) => Compilable<unknown>,
) {
  const byCount = new Map<number, Prepared<unknown>>();
  const preparedFor = (count: number) => {
    const prepared = prepare(db, (db, p: Record<string, unknown>) => {
      const rows = Array.from({ length: count }, (_, k) =>
        Object.fromEntries(columns.map((column) => [column, p[`${k}.${column}`]])),
      );
      return build(db, rows as Row[]);
    });
    prepared.paramAt.forEach((name, i) => {
      const expected = `${Math.floor(i / columns.length)}.${columns[i % columns.length]}`;
      if (name !== expected) throw new Error(`precompiled insert: parameter ${i} is ${name}, not ${expected}`);
    });
    byCount.set(count, prepared);
    return prepared;
  };
  return {
    /** Inserts the rows; `numAffectedRows` tells how many were stored. */
    run(executor: Kysely<DB>, rows: Row[]): Promise<QueryResult<unknown>> {
      const prepared = byCount.get(rows.length) ?? preparedFor(rows.length);
      const parameters = new Array<unknown>(rows.length * columns.length);
      let i = 0;
      for (const row of rows) for (const column of columns) parameters[i++] = row[column];
      return execute(executor, prepared, parameters);
    },
  };
}
