/**
 * Group commit: transactions asked for at about the same time share one database transaction and one
 * commit. Writes go through one connection one transaction at a time anyway; what grouping saves is the
 * per-commit cost (the write-ahead log's frames, BEGIN and COMMIT, the driver's round trips), which under
 * concurrent load is most of a small transaction's cost.
 *
 * Each piece of work runs in its own savepoint, in order, so it sees every earlier one's writes exactly
 * as if it had run alone after them, and its failure rolls back its own writes only: the caller gets its
 * error and the others still commit. Every caller is answered only after the shared COMMIT succeeded;
 * if the commit itself fails, every caller in the group gets that error and nothing of the group stays.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';

interface Job<DB> {
  work: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// Plain SQL that SQLite and PostgreSQL both accept. One name is enough: each savepoint is released before
// the next one is made.
const SAVEPOINT = CompiledQuery.raw('savepoint grouped_work');
const RELEASE = CompiledQuery.raw('release savepoint grouped_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint grouped_work');

export class GroupCommit<DB> {
  private queue: Job<DB>[] = [];
  private flushing = false;

  /** `maxGroup` bounds how long one commit keeps the first caller of its group waiting. */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxGroup = 64,
  ) {}

  run<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the I/O callbacks of this turn of the event loop: requests read in the same turn join.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxGroup));
    } finally {
      this.flushing = false;
    }
  }

  private async commit(group: Job<DB>[]): Promise<void> {
    if (group.length === 1) {
      // Alone: a plain transaction, no savepoint needed.
      const job = group[0]!;
      await this.db.transaction().execute(job.work).then(job.resolve, job.reject);
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction().execute(async (trx) => {
        const done: Outcome[] = [];
        for (const job of group) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await job.work(trx);
            await trx.executeQuery(RELEASE);
            done.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            done.push({ ok: false, error });
          }
        }
        return done;
      });
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
