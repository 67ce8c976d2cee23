/** The embedded default: one SQLite file in the data directory, in WAL mode. */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export interface SqliteOptions {
  /** Checkpoint the write-ahead log from a worker thread rather than inside commits (for the server). */
  backgroundCheckpoints?: boolean;
}

export function openSqlite(file: string, options: SqliteOptions = {}): Kysely<Database> {
  const connection = new BetterSqlite3(file);
  // WAL lets `idv keys create` write while the server reads, and keeps readers off the writer's lock.
  connection.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a crash of the process (the case we promise for uploads); only a power
  // cut can lose the last commits. Set IDV_SQLITE_SYNC=FULL for machines where that matters more than speed.
  const synchronous = process.env['IDV_SQLITE_SYNC'] === 'FULL' ? 'FULL' : 'NORMAL';
  connection.pragma(`synchronous = ${synchronous}`);
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  const stopCheckpoints = options.backgroundCheckpoints
    ? startCheckpointer(file, synchronous, connection)
    : undefined;
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection, stopCheckpoints) }),
  });
}

/** Log pages after which a commit checkpoints by itself: SQLite's default, and the fallback below. */
const AUTOCHECKPOINT_PAGES = 1000;
/** With a checkpointer running: only if it falls far behind (the log then holds about 40 MB). */
const BACKSTOP_PAGES = 10_000;
const CHECKPOINT_INTERVAL_MS = 100;

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = ' + workerData.synchronous);
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.get(), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * A checkpoint copies committed pages from the write-ahead log into the database file and syncs both.
 * SQLite runs it inside whichever commit takes the log past 1000 pages, so under a steady write load
 * the event loop stalls, now and then, for the copy and two fsyncs. Here a worker thread with its own
 * connection checkpoints every 100 ms instead (PASSIVE: it never waits for or blocks a writer), and
 * commits only append to the log. Durability is unchanged: a commit is in the log either way, and a
 * checkpoint moves only committed pages. Should the worker fail, commits checkpoint by themselves again.
 * Returns what stops it.
 */
function startCheckpointer(
  file: string,
  synchronous: string,
  connection: BetterSqlite3.Database,
): () => void {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      synchronous,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  worker.once('error', () => {
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  });
  return () => worker.postMessage('stop');
}

/**
 * Kysely prepares every query afresh; the service runs the same few dozen SQL texts all day, so prepared
 * statements are kept and reused. Safe because Kysely runs one query at a time on this connection.
 */
function withStatementCache(
  connection: BetterSqlite3.Database,
  onClose?: () => void,
): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = connection.prepare.bind(connection);
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property === 'close' && onClose) {
        return () => {
          onClose();
          return target.close();
        };
      }
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
