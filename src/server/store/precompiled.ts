/**
 * Queries for the hot path, built and compiled by Kysely once and then run with new parameters:
 * the SQL stays typed and the same for both stores, without paying for the query builder and the
 * compiler on every message.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** Stands in for a parameter while the query is compiled; never reaches the database. */
const placeholderPrefix = '\u0000parley-param:';

type Slot = { param: string } | { value: unknown };

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
  const slots: Slot[] = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(placeholderPrefix)
      ? { param: value.slice(placeholderPrefix.length) }
      : { value },
  );
  for (const name of names) {
    if (!slots.some((slot) => 'param' in slot && slot.param === name))
      throw new Error(`precompiled query: parameter "${name}" is not bound in ${compiled.sql}`);
  }
  return {
    run(executor, params) {
      const query: CompiledQuery<R> = {
        query: compiled.query,
        queryId: compiled.queryId,
        sql: compiled.sql,
        parameters: slots.map((slot) => ('param' in slot ? params[slot.param] : slot.value)),
      };
      return executor.executeQuery(query);
    },
  };
}
