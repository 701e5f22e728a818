// Taking SQLite's write lock without blocking the event loop. Another connection (the ingest
// journal's materialiser, a CLI command) may hold it for tens of milliseconds; with a busy timeout,
// `BEGIN IMMEDIATE` waits inside SQLite, sleeping the thread in growing steps (1, 2, 5, 10 … ms),
// and the server answers nothing meanwhile. Measured during bench:alerts' 100k ingest: 196 flush and
// delivery transactions blocked the event loop 579 ms in all, 130 ms at worst (bench/README.md).
// Here the attempt does not wait; when the lock is taken, the event loop goes on and the attempt is
// repeated a millisecond later, for as long as the busy timeout would have waited.
import type SQLite from 'better-sqlite3';

const RETRY_MS = 1;

const isBusy = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'SQLITE_BUSY';

/** Told when a transaction starts and stops waiting for the lock (the lock holder may give way). */
export type LockWaiting = (on: boolean) => void;

/** Starts an immediate transaction on `sqlite`, waiting (asynchronously) up to `timeoutMs` for the lock. */
export async function beginImmediate(
  sqlite: SQLite.Database,
  begin: SQLite.Statement = sqlite.prepare('begin immediate'),
  timeoutMs = 5_000,
  waiting?: LockWaiting | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  try {
    for (;;) {
      // Not prepared once: SQLite applies `PRAGMA busy_timeout = n` when the statement is prepared,
      // and running a prepared one again changes nothing.
      const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma('busy_timeout = 0');
      try {
        begin.run();
        return;
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      } finally {
        sqlite.pragma(`busy_timeout = ${timeout}`);
      }
      if (!waited) waiting?.(true);
      waited = true;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  } finally {
    if (waited) waiting?.(false);
  }
}
