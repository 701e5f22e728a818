// A flush prepared ahead of its time (embedded SQLite with the ingest journal): while the
// dispatcher's timer waits out the last milliseconds before the groups' time, their flush runs with
// that time in a transaction that stays open until the pass at that time releases it. The pass
// commits it, so only the commit is left between the timer and the delivery engine. Alerts that
// reached the ingest journal meanwhile roll it back: the pass then flushes the usual way.
import type { Logger } from 'pino';

/** What the ingest journal tells a flush prepared ahead of its time (IngestJournal). */
export interface IngestActivity {
  /** Everything acknowledged is in the tables: a query would not wait now. */
  settledNow(): boolean;
  /** When the alerts appended last were received (epoch ms; -Infinity: none yet). */
  lastReceivedAt(): number;
}

/**
 * A flush is prepared only when no alert was received for this long: while alerts keep arriving,
 * one would almost surely arrive in the wait and undo it.
 */
export const PREPARE_QUIET_MS = 5;

/** A prepared flush whose pass has not come by then is rolled back: its transaction blocks every other. */
export const PREPARED_MAX_HOLD_MS = 50;

/** Whether a flush is worth preparing `now` (see PREPARE_QUIET_MS). */
export const quietFor = (journal: IngestActivity, now: number): boolean =>
  now - journal.lastReceivedAt() >= PREPARE_QUIET_MS;

export interface PreparedFlush<R> {
  /** Ends the wait: commit (when it is time and nothing arrived meanwhile) or roll back. */
  release(commit: boolean): void;
  /** It was released, or its hold ran out. */
  released(): boolean;
  /** What each group's flush did, once committed; null when rolled back or nothing was due. */
  done: Promise<[string, R][] | null>;
}

/** Thrown inside the transaction to roll it back. */
class RolledBack extends Error {
  constructor() {
    super('the prepared flush was rolled back');
  }
}

export interface PrepareOptions<R> {
  /** The groups due at the time, read ahead. */
  keys: Promise<string[]>;
  journal: IngestActivity;
  /**
   * Flushes `keys` at their time in one transaction, awaiting `gate()` inside it just before it commits:
   * `gate` waits for the release and throws to roll back. `released()` says the wait is already over,
   * so that no transaction starts for nothing.
   */
  flush: (
    keys: string[],
    gate: () => Promise<void>,
    released: () => boolean,
  ) => Promise<[string, R][] | null>;
  /** Told how it ended, for /metrics. */
  onOutcome?: ((outcome: 'committed' | 'rolled_back') => void) | undefined;
  logger: Logger;
}

export function prepareFlush<R>(o: PrepareOptions<R>): PreparedFlush<R> {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (release = resolve));
  const bound = setTimeout(() => release(false), PREPARED_MAX_HOLD_MS);
  bound.unref();
  let over = false;
  void decided.then(() => (over = true));
  // Committed only when it is time and every alert acknowledged meanwhile is in the tables it read:
  // none can be, since the transaction holds the write lock, so any such alert rolls it back.
  const gate = async (): Promise<void> => {
    if (!(await decided) || !o.journal.settledNow()) throw new RolledBack();
  };
  const run = async (): Promise<[string, R][] | null> => {
    const due = await o.keys;
    return due.length === 0 || over ? null : o.flush(due, gate, () => over);
  };
  const done = run()
    .then((out) => {
      if (out) o.onOutcome?.('committed');
      return out;
    })
    .catch((e: unknown) => {
      if (e instanceof RolledBack) o.onOutcome?.('rolled_back');
      else o.logger.error({ err: e }, 'flushing alert groups ahead of their time failed');
      return null;
    })
    .finally(() => clearTimeout(bound));
  return { release, released: () => over, done };
}
