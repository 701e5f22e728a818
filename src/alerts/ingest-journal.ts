// The ingest journal (SQLite): an acknowledged request is committed to an append-only journal file
// on the event loop, and a worker thread (materializer.worker.ts) applies the journal to the alert
// store's tables. The request path then costs one small insert per group commit instead of the
// alert, episode and group writes, and that work runs on another core.
//
// - Durable: `append` commits (WAL, synchronous=NORMAL: survives a process crash) before the
//   caller answers. What a crash leaves unapplied is applied when the journal opens again, before
//   the server serves.
// - Read-your-writes: every query through Kysely first waits until what was appended before it is
//   applied (`settled`, installed as the database's read barrier), so a reader never misses an
//   acknowledged alert.
// - Order: entries are applied in append order, each with the time it was received.
// - The journal is its own file so the event loop never waits for the materialiser's write lock to
//   append. Applied entries are deleted from it; the position lives in the main database's
//   `settings`, written in the materialiser's transaction.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { Logger } from 'pino';
import type { RouteNode } from '../config/model.js';
import type { Severity } from './model.js';
import type {
  FromMaterializer,
  JournalPart,
  MaterializerInit,
  ToMaterializer,
} from './ingest-journal.types.js';
import { encodeEntry } from './ingest-journal.types.js';

export interface IngestJournalOptions {
  /** The main database file. */
  file: string;
  /** The journal file (next to it: `ingest-journal.db`). */
  journalFile: string;
  route: RouteNode;
  severityMap?: Readonly<Record<string, Severity>>;
  /** New groups' first flush: wake the dispatcher then. */
  onWake: (at: number) => void;
  logger: Logger;
}

/** The materialiser thread: the built file, or (tests and `tsx` runs) the source through tsx. */
function startWorker(init: MaterializerInit): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(fileURLToPath(new URL('./materializer.worker.js', import.meta.url)), {
      workerData: init,
    });
  const src = new URL('./materializer.worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(src)}); })`,
    { eval: true, workerData: init },
  );
}

const RESTART_AFTER_MS = 1000;

/** The longest a reader waits for the materialiser (`settled`); a journal further behind is not ready. */
export const MAX_READ_WAIT_MS = 30_000;

export type JournalStatus = ReturnType<IngestJournal['status']>;

/** Readiness of the ingest journal at `now`: not ready while readers would get stale tables. */
export function journalReadiness(st: JournalStatus, now: number): { ok: boolean; check: string } {
  if (st.behind === 0) return { ok: true, check: 'ok' };
  const since =
    st.oldestWaitingAt === null
      ? ''
      : `, the oldest received ${Math.round((now - st.oldestWaitingAt) / 1000)} s ago`;
  const waiting = `${st.behind} journal ${st.behind === 1 ? 'entry' : 'entries'} not yet in the tables${since}`;
  if (!st.running) return { ok: false, check: `materialiser not running (restarting): ${waiting}` };
  if (st.failing) return { ok: false, check: `materialiser failing: ${st.failing}; ${waiting}` };
  if (st.oldestWaitingAt !== null && now - st.oldestWaitingAt > MAX_READ_WAIT_MS)
    return { ok: false, check: `materialiser behind: ${waiting}` };
  return { ok: true, check: 'ok' };
}

export class IngestJournal {
  private readonly j: SQLite.Database;
  private readonly insert: SQLite.Statement<[number, number, string]>;
  private readonly prune: SQLite.Statement<[number]>;
  private readonly oldestAfter: SQLite.Statement<[number]>;
  /** The materialiser thread runs (false from its unexpected exit until it is started again). */
  private running = false;
  private worker!: Worker;
  private appended: number;
  private applied = 0;
  private pruned = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private pausedAck: (() => void) | null = null;
  private exited!: Promise<void>;
  private stopping = false;
  private readonly ready: Promise<void>;
  private lastError: string | null = null;
  private pausing = false;
  /** When the last entry appended by this process was received (epoch ms; -Infinity: none yet). */
  private lastReceived = Number.NEGATIVE_INFINITY;
  /** Transactions of this thread waiting for the write lock (shared with the materialiser). */
  private readonly lockWaiters = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly o: IngestJournalOptions) {
    this.j = new SQLite(o.journalFile);
    this.j.pragma('journal_mode = WAL');
    this.j.pragma('synchronous = NORMAL');
    // The materialiser thread checkpoints the journal; SQLite's own checkpoint (with an fsync, inside
    // an append on the event loop) only bounds the WAL should that thread stop.
    this.j.pragma('wal_autocheckpoint = 100000');
    this.j.pragma('journal_size_limit = 67108864');
    this.j
      .exec(`create table if not exists entries (id integer primary key autoincrement, at integer not null,
      count integer not null, alerts text not null);
      create table if not exists meta (key text primary key, value text not null)`);
    this.j
      .prepare(`insert into meta (key, value) values ('id', ?) on conflict (key) do nothing`)
      .run(randomUUID());
    const journalId = this.j.prepare(`select value from meta where key = 'id'`).pluck().get() as string;
    this.insert = this.j.prepare('insert into entries (at, count, alerts) values (?, ?, ?)');
    this.prune = this.j.prepare('delete from entries where id <= ?');
    this.oldestAfter = this.j
      .prepare<[number]>('select at from entries where id > ? order by id limit 1')
      .pluck();
    this.appended = Number(this.j.prepare('select coalesce(max(id), 0) from entries').pluck().get());
    const init: MaterializerInit = {
      file: o.file,
      journal: o.journalFile,
      journalId,
      lockWaiters: this.lockWaiters.buffer,
      route: o.route,
      ...(o.severityMap ? { severityMap: o.severityMap } : {}),
    };
    this.ready = this.spawn(init);
  }

  /**
   * Starts the materialiser thread; resolves when it runs. A thread that dies unexpectedly is
   * started again a second later: what it had not applied is still in the journal.
   */
  private spawn(init: MaterializerInit): Promise<void> {
    const worker = startWorker(init);
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', (e) => this.o.logger.error({ err: e }, 'the ingest journal materialiser failed'));
    worker.once('exit', (code) => {
      this.running = false;
      if (this.stopping) return;
      this.o.logger.error({ code }, 'the ingest journal materialiser stopped: starting it again');
      setTimeout(() => {
        if (!this.stopping) void this.spawn(init).catch(() => undefined);
      }, RESTART_AFTER_MS);
    });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: FromMaterializer) => {
        if (m.kind === 'ready') {
          this.running = true;
          this.advance(m.upTo);
          resolve();
        } else this.onMessage(m);
      });
    });
  }

  /** Resolves once the materialiser runs and has applied what an earlier process left. */
  async start(): Promise<void> {
    await this.ready;
    await this.settled();
  }

  /**
   * Commits the alerts of `parts` (requests committed together, the first received at `now`) to the
   * journal as one entry; they are applied soon after.
   */
  append(now: number, parts: readonly JournalPart[]): void {
    let count = 0;
    for (const p of parts) count += p.kind === 'alerts' ? p.alerts.length : p.count;
    this.appended = Number(this.insert.run(now, count, encodeEntry(parts, now)).lastInsertRowid);
    this.lastReceived = now;
    this.send({ kind: 'wake' });
  }

  /**
   * A query would not wait now: everything appended is applied (or the materialiser is paused for a
   * regrouping, whose queries do not wait either). See `settled`.
   */
  settledNow(): boolean {
    return this.pausing || this.applied >= this.appended;
  }

  /** When the alerts of the last entry appended were received (epoch ms; -Infinity: none yet). */
  lastReceivedAt(): number {
    return this.lastReceived;
  }

  /**
   * A transaction of this thread starts or stops waiting for the main database's write lock: while
   * one waits, the materialiser starts none of its own (Database.setLockWaiting).
   */
  waitingForLock(on: boolean): void {
    Atomics.add(this.lockWaiters, 0, on ? 1 : -1);
  }

  /**
   * How far the materialiser is behind: entries not applied yet, when the oldest of them was
   * received (null when none waits), whether its thread runs, and its last error while failing.
   */
  status(): { behind: number; oldestWaitingAt: number | null; running: boolean; failing: string | null } {
    const behind = this.appended - this.applied;
    return {
      behind,
      oldestWaitingAt:
        behind > 0 ? ((this.oldestAfter.get(this.applied) as number | undefined) ?? null) : null,
      running: this.running,
      failing: this.lastError,
    };
  }

  /**
   * Resolves when everything appended before this call is in the tables, or after `maxWaitMs`
   * (a materialiser that keeps failing, logged as such, must not stop every reader for good).
   */
  settled(maxWaitMs = MAX_READ_WAIT_MS): Promise<void> {
    if (this.settledNow()) return Promise.resolve();
    const upTo = this.appended;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.o.logger.warn(
          { applied: this.applied, waitingFor: upTo },
          'the ingest journal is behind: reading anyway',
        );
        resolve();
      }, maxWaitMs);
      timer.unref();
      this.waiters.push({
        upTo,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /**
   * Runs `fn` while the materialiser is paused between transactions (regrouping after the route
   * tree changed), then resumes it, with `route` from then on when given. Entries applied before
   * are in the tables `fn` reads; those after are grouped by the new tree.
   */
  async exclusive<T>(fn: () => Promise<T>, route?: RouteNode): Promise<T> {
    await this.settled();
    const paused = new Promise<void>((resolve) => (this.pausedAck = resolve));
    this.send({ kind: 'pause' });
    await paused;
    // `fn` queries through the read barrier: while paused, queries do not wait for what is appended
    // meanwhile (it is applied, with the new tree, when the materialiser resumes).
    this.pausing = true;
    try {
      return await fn();
    } finally {
      this.pausing = false;
      this.send(route ? { kind: 'resume', route } : { kind: 'resume' });
    }
  }

  /** Applies what is left, stops the materialiser and closes the journal. */
  async stop(): Promise<void> {
    await this.settled();
    this.stopping = true;
    this.send({ kind: 'stop' });
    await this.exited;
    this.j.close();
  }

  /** Stops at once without applying what is left (a crash, for tests). */
  async kill(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
    this.j.close();
  }

  /** Ends the materialiser thread as a crash would (tests: it is started again). */
  async crashMaterializerForTest(): Promise<void> {
    await this.worker.terminate();
  }

  private send(m: ToMaterializer): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: FromMaterializer): void {
    if (m.kind === 'applied') {
      this.lastError = null;
      if (m.wakeAt !== null) this.o.onWake(m.wakeAt);
      this.advance(m.upTo);
    } else if (m.kind === 'paused') {
      this.pausedAck?.();
      this.pausedAck = null;
    } else if (m.kind === 'error' && m.message !== this.lastError) {
      this.lastError = m.message;
      this.o.logger.error({ reason: m.message }, 'applying the ingest journal failed; retrying');
    }
  }

  private advance(upTo: number): void {
    this.applied = Math.max(this.applied, upTo);
    if (this.applied > this.appended) this.appended = this.applied;
    const due = this.waiters.filter((w) => w.upTo <= this.applied);
    this.waiters = this.waiters.filter((w) => w.upTo > this.applied);
    for (const w of due) w.resolve();
    // Applied entries are kept no longer than needed; pruning in steps keeps it off the hot path.
    if (this.applied - this.pruned >= 256 || this.applied >= this.appended) {
      this.prune.run(this.applied);
      this.pruned = this.applied;
    }
  }
}
