/**
 * Queries on the hot path, compiled by Kysely once instead of on every call. Building and compiling a
 * query costs Kysely tens of microseconds (an insert of two dozen columns takes longer to compile than
 * SQLite takes to run it); a prepared query keeps the SQL Kysely wrote for the store's own dialect, so
 * the same code still runs on SQLite and PostgreSQL, and binds each call's values by position.
 */
import { createQueryId, type Compilable, type CompiledQuery } from 'kysely';

const MARK = '\u0000idv-arg:';

/** Stands, in a query given to `prepare`, for the value of the argument `name` of each call. */
export function arg<T>(name: string): T {
  return `${MARK}${name}` as T;
}

export type Prepared<A, R> = (args: A) => CompiledQuery<R>;

/** Compiles `query` once; each call binds its `args` where the query has `arg(name)`. */
export function prepare<A extends object, R>(query: Compilable<R>): Prepared<A, R> {
  const { sql, query: node, parameters } = query.compile();
  const binders = parameters.map((value): ((args: A) => unknown) => {
    if (typeof value === 'string' && value.startsWith(MARK)) {
      const name = value.slice(MARK.length);
      return (args) => (args as Record<string, unknown>)[name];
    }
    return () => value;
  });
  return (args) => ({
    sql,
    query: node,
    queryId: createQueryId(),
    parameters: binders.map((bind) => bind(args)),
  });
}

/** An argument marker for each column, as an insert's values: `values(argsFor(columns))`. */
export function argsFor(columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, arg(column)]));
}
