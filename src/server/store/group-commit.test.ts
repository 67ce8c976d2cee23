import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

interface Db {
  parent: { id: number };
  child: { id: number; parent_id: number };
}

let dir: string;
let db: Kysely<Db>;
let statements: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idv-group-commit-'));
  const connection = new BetterSqlite3(join(dir, 'test.sqlite'));
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  statements = [];
  db = new Kysely<Db>({
    dialect: new SqliteDialect({ database: connection }),
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  await sql`create table parent (id integer primary key)`.execute(db);
  // Checked only at COMMIT: the way to make a commit fail.
  await sql`create table child (id integer primary key, parent_id integer not null
    references parent (id) deferrable initially deferred)`.execute(db);
  statements = [];
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** What another connection sees: only what was committed. */
function committedParents(): number[] {
  const reader = new BetterSqlite3(join(dir, 'test.sqlite'), { readonly: true });
  try {
    return (reader.prepare('select id from parent order by id').all() as { id: number }[]).map(
      (row) => row.id,
    );
  } finally {
    reader.close();
  }
}

describe('GroupCommit', () => {
  it('commits concurrent transactions together, and answers each only once its writes are committed', async () => {
    const group = new GroupCommit(db);
    const seenAtAnswer: number[][] = [];
    await Promise.all(
      [1, 2, 3, 4].map((id) =>
        group
          .run(async (trx) => {
            await trx.insertInto('parent').values({ id }).execute();
            return id;
          })
          .then((value) => {
            expect(value).toBe(id);
            seenAtAnswer.push(committedParents());
          }),
      ),
    );
    expect(statements.filter((text) => text === 'commit')).toHaveLength(1);
    for (const seen of seenAtAnswer) expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('runs the transactions of a group in order, each seeing the writes of those before it', async () => {
    const group = new GroupCommit(db);
    const counts = await Promise.all(
      [1, 2, 3].map((id) =>
        group.run(async (trx) => {
          await trx.insertInto('parent').values({ id }).execute();
          return (await trx.selectFrom('parent').select('id').execute()).length;
        }),
      ),
    );
    expect(counts).toEqual([1, 2, 3]);
  });

  it('rolls back a failing transaction alone: its caller gets the error, the others commit', async () => {
    const group = new GroupCommit(db);
    const results = await Promise.allSettled([
      group.run((trx) => trx.insertInto('parent').values({ id: 1 }).execute()),
      group.run(async (trx) => {
        await trx.insertInto('parent').values({ id: 2 }).execute(); // written, then undone
        await trx.insertInto('parent').values({ id: 1 }).execute(); // duplicate key
      }),
      group.run(async (trx) => {
        await trx.insertInto('parent').values({ id: 3 }).execute();
        throw new Error('changed my mind');
      }),
      group.run((trx) => trx.insertInto('parent').values({ id: 4 }).execute()),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/changed my mind/);
    expect(committedParents()).toEqual([1, 4]);
  });

  it('fails every caller of a group whose commit fails, and keeps none of its writes', async () => {
    const group = new GroupCommit(db);
    const results = await Promise.allSettled([
      group.run((trx) => trx.insertInto('parent').values({ id: 1 }).execute()),
      group.run((trx) => trx.insertInto('child').values({ id: 1, parent_id: 99 }).execute()),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect(committedParents()).toEqual([]);
    // The connection is usable again afterwards.
    await group.run((trx) => trx.insertInto('parent').values({ id: 5 }).execute());
    expect(committedParents()).toEqual([5]);
  });

  it('runs a lone transaction without savepoints, and bounds the size of a group', async () => {
    const group = new GroupCommit(db, 2);
    await group.run((trx) => trx.insertInto('parent').values({ id: 1 }).execute());
    expect(statements.some((text) => text.startsWith('savepoint'))).toBe(false);
    statements = [];
    await Promise.all(
      [2, 3, 4, 5, 6].map((id) => group.run((trx) => trx.insertInto('parent').values({ id }).execute())),
    );
    expect(statements.filter((text) => text === 'commit')).toHaveLength(3);
    expect(committedParents()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
