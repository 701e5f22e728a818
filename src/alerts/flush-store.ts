// What a group's flush reads and writes, behind one interface with two implementations:
// - Kysely (PostgreSQL, and SQLite without a handle), through the repositories;
// - embedded SQLite (flush-sqlite.ts): statements prepared once and run synchronously inside one
//   `BEGIN IMMEDIATE` transaction. A flush is on the path from an alert to its notification; Kysely's
//   per-query cost (building and compiling each query, its promise chain) was 0.25 ms a query on an
//   idle server, about 2.7 ms a flush (bench/README.md).
// The dispatcher's decisions stay in one place (dispatcher.ts, flush-plan.ts); only the I/O differs.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Labels } from '../kernel/labels.js';
import type { NewNotification } from '../notify/outbox.js';
import { outboxRepo } from '../notify/outbox.js';
import { alertRepo } from './alert.repo.js';
import { flappingRepo } from './flapping.repo.js';
import type { GroupMember } from './flush-plan.js';
import type { NotifiedState } from './group-timer.js';
import type { GroupRow } from './group.repo.js';
import { groupRepo } from './group.repo.js';

/** A value, or a promise of it: the SQLite implementation answers synchronously. */
export type Maybe<T> = T | Promise<T>;

export interface Episode {
  startedAt: number;
  endedAt: number | null;
}

/** Inside one flush transaction. */
export interface FlushTx {
  /** The group, locked for the transaction where the database can. */
  lock(key: string): Maybe<GroupRow | null>;
  /** When the group's oldest undelivered notification written after `since` was written, or null. */
  oldestPending(key: string, since: number): Maybe<number | null>;
  memberStates(key: string): Maybe<GroupMember[]>;
  labels(fingerprints: string[]): Maybe<Map<string, Labels>>;
  /** Firing episodes of these alerts that started or ended at or after `since`. */
  episodesSince(fingerprints: readonly string[], since: number): Maybe<Map<string, Episode[]>>;
  /** Writes notifications created `now`, first due at `nextAttemptAt`. */
  enqueue(items: NewNotification[], now: number, nextAttemptAt: number): Maybe<void>;
  removeMembers(key: string, fingerprints: string[]): Maybe<void>;
  remove(key: string): Maybe<void>;
  afterFlush(key: string, nextFlushAt: number, notified: NotifiedState | null): Maybe<void>;
}

export interface FlushStore {
  /** Groups whose timer is due, earliest first. */
  due(now: number, limit: number): Promise<string[]>;
  nextDue(): Promise<number | null>;
  /** Moves the timers of these groups to `now` where they are later. */
  pullForward(keys: readonly string[], now: number): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: FlushTx) => Promise<T>): Promise<T>;
}

/** The flush through Kysely and the repositories. */
export function kyselyFlushStore(db: Kysely<DB>, postgres: boolean): FlushStore {
  const tx = (trx: Kysely<DB>): FlushTx => ({
    lock: (key) => groupRepo.lock(trx, key, postgres),
    oldestPending: (key, since) => outboxRepo.oldestPending(trx, key, since),
    memberStates: (key) => groupRepo.memberStates(trx, key),
    labels: async (fps) => {
      const out = new Map<string, Labels>();
      for (const a of (await alertRepo.getMany(trx, fps)).values()) out.set(a.fingerprint, a.labels);
      return out;
    },
    episodesSince: (fps, since) => flappingRepo.episodesSince(trx, fps, since),
    enqueue: (items, now, nextAttemptAt) => outboxRepo.enqueue(trx, items, now, nextAttemptAt),
    removeMembers: (key, fps) => groupRepo.removeMembers(trx, key, fps),
    remove: (key) => groupRepo.remove(trx, key),
    afterFlush: (key, next, notified) => groupRepo.afterFlush(trx, key, next, notified),
  });
  return {
    due: (now, limit) => groupRepo.due(db, now, limit),
    nextDue: () => groupRepo.nextDue(db),
    pullForward: (keys, now) => groupRepo.pullForward(db, keys, now),
    transaction: (fn) => db.transaction().execute((trx) => fn(tx(trx))),
  };
}
