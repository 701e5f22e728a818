// The embedded SQLite handle under Kysely, for the hot paths that run prepared statements on it
// (the flush, delivery's bookkeeping), and how such a path writes in a transaction of its own.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface SqliteHandle {
  handle: SQLite.Database;
  /** The database's read barrier (Database.settled). */
  settled: () => Promise<void>;
  /** Database.beginImmediate: takes the write lock without blocking the event loop. */
  begin: () => Promise<void>;
}

/** The handle of an embedded SQLite database (null on PostgreSQL). */
export const sqliteHandleOf = (d: Database): SqliteHandle | null =>
  d.sqlite ? { handle: d.sqlite, settled: () => d.settled(), begin: () => d.beginImmediate() } : null;

/**
 * Runs `fn` in one `BEGIN IMMEDIATE` transaction on the handle: committed when it returns,
 * rolled back when it throws. It holds Kysely's one connection meanwhile, so it waits for the read
 * barrier (the ingest journal applied up to now) and no Kysely query runs in between.
 */
export function sqliteTransactions<DB>(
  db: Kysely<DB>,
  { handle, begin }: SqliteHandle,
): <T>(fn: () => T | Promise<T>) => Promise<T> {
  const commit = handle.prepare('commit');
  const rollback = handle.prepare('rollback');
  return (fn) =>
    db.connection().execute(async () => {
      await begin();
      try {
        const r = await fn();
        commit.run();
        return r;
      } catch (e) {
        if (handle.inTransaction) rollback.run();
        throw e;
      }
    });
}
