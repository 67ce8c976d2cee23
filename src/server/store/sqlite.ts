/** The embedded default: one SQLite file in the data directory, in WAL mode. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export function openSqlite(file: string): Kysely<Database> {
  const connection = new BetterSqlite3(file);
  // WAL lets `idv keys create` write while the server reads, and keeps readers off the writer's lock.
  connection.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a crash of the process (the case we promise for uploads); only a power
  // cut can lose the last commits. Set IDV_SQLITE_SYNC=FULL for machines where that matters more than speed.
  connection.pragma(`synchronous = ${process.env['IDV_SQLITE_SYNC'] === 'FULL' ? 'FULL' : 'NORMAL'}`);
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
}

/**
 * Kysely prepares every query afresh; the service runs the same few dozen SQL texts all day, so prepared
 * statements are kept and reused. Safe because Kysely runs one query at a time on this connection.
 */
function withStatementCache(connection: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = connection.prepare.bind(connection);
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver) as unknown;
      return (sql: string) => {
        let statement = cache.get(sql);
        if (!statement) {
          statement = prepare(sql);
          // Queries with many bound values (`in (…)` lists) make one-off texts: keep the cache bounded.
          if (cache.size >= 500) cache.clear();
          cache.set(sql, statement);
        }
        return statement;
      };
    },
  });
}

/** True when a write failed on a unique or primary-key constraint, in any dialect the store runs on. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
