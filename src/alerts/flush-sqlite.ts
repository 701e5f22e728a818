// The flush on embedded SQLite: the reads and writes of flush-store.ts through statements prepared
// once, run synchronously inside one `BEGIN IMMEDIATE` transaction. The same rows as the Kysely
// implementation (group.repo.ts, outbox.ts, flapping.repo.ts): a change to what those write must be
// made here too. A transaction holds Kysely's one connection, so it waits for the database's read
// barrier (the ingest journal applied up to now) and no Kysely query runs in between.
import type { Kysely, Selectable } from 'kysely';
import type { AlertGroupsTable, DB } from '../db/schema.js';
import { sqliteTransactions } from '../db/sqlite-handle.js';
import type { SqliteHandle } from '../db/sqlite-handle.js';
import type { Labels } from '../kernel/labels.js';
import type { Episode, FlushStore, FlushTx } from './flush-store.js';
import type { GroupMember } from './flush-plan.js';
import { toGroupRow } from './group.repo.js';

export function sqliteFlushStore(db: Kysely<DB>, h: SqliteHandle): FlushStore {
  const { handle: sqlite, settled } = h;
  const inTransaction = sqliteTransactions(db, h);
  const p = (q: string) => sqlite.prepare(q);
  const s = {
    due: p(
      'select group_key from alert_groups where next_flush_at <= ? order by next_flush_at limit ?',
    ).pluck(),
    nextDue: p('select min(next_flush_at) from alert_groups').pluck(),
    pullForward: p('update alert_groups set next_flush_at = ? where group_key = ? and next_flush_at > ?'),
    lock: p('select * from alert_groups where group_key = ?'),
    oldestPending: p(
      `select min(created_at) from notifications
       where group_key = ? and created_at > ? and status = 'pending'`,
    ).pluck(),
    members: p(
      `select a.fingerprint, a.starts_at, a.ends_at, m.joined_at from alert_group_members m
       join alerts a on a.fingerprint = m.fingerprint where m.group_key = ?`,
    ).raw(),
    labels: p('select labels from alerts where fingerprint = ?').pluck(),
    episodes: p(
      `select started_at, ended_at from alert_episodes
       where fingerprint = ? and (started_at >= ? or ended_at >= ?)`,
    ).raw(),
    enqueue: p(
      `insert into notifications (id, group_key, receiver, integration, content, created_at, status,
         attempts, next_attempt_at) values (?, ?, ?, ?, ?, ?, 'pending', 0, ?)`,
    ),
    removeMember: p('delete from alert_group_members where group_key = ? and fingerprint = ?'),
    removeMembers: p('delete from alert_group_members where group_key = ?'),
    removeGroup: p('delete from alert_groups where group_key = ?'),
    moveTimer: p('update alert_groups set next_flush_at = ? where group_key = ?'),
    notified: p(
      `update alert_groups set next_flush_at = ?, notified_firing = ?, notified_resolved = ?,
         notified_flapping = ?, notified_at = ? where group_key = ?`,
    ),
  };
  const tx: FlushTx = {
    lock: (key) => {
      const r = s.lock.get(key) as Selectable<AlertGroupsTable> | undefined;
      return r ? toGroupRow(r) : null;
    },
    oldestPending: (key, since) => {
      const at = s.oldestPending.get(key, since) as number | null;
      return at === null ? null : Number(at);
    },
    memberStates: (key) =>
      (s.members.all(key) as [string, number, number, number][]).map(
        ([fingerprint, startsAt, endsAt, joinedAt]): GroupMember => ({
          fingerprint,
          startsAt,
          endsAt,
          joinedAt,
        }),
      ),
    labels: (fps) => {
      const out = new Map<string, Labels>();
      for (const fp of fps) {
        const l = s.labels.get(fp) as string | undefined;
        if (l !== undefined) out.set(fp, JSON.parse(l) as Labels);
      }
      return out;
    },
    episodesSince: (fps, since) => {
      const out = new Map<string, Episode[]>();
      for (const fp of fps) {
        const rows = s.episodes.all(fp, since, since) as [number, number | null][];
        if (rows.length)
          out.set(
            fp,
            rows.map(([startedAt, endedAt]) => ({ startedAt, endedAt })),
          );
      }
      return out;
    },
    enqueue: (items, now, nextAttemptAt) => {
      for (const n of items)
        s.enqueue.run(
          n.id,
          n.groupKey,
          n.receiver,
          n.integration,
          JSON.stringify(n.content),
          now,
          nextAttemptAt,
        );
    },
    removeMembers: (key, fps) => {
      for (const fp of fps) s.removeMember.run(key, fp);
    },
    remove: (key) => {
      s.removeMembers.run(key);
      s.removeGroup.run(key);
    },
    afterFlush: (key, next, notified) => {
      if (!notified) s.moveTimer.run(next, key);
      else
        s.notified.run(
          next,
          JSON.stringify(notified.firing ?? []),
          JSON.stringify(notified.resolved),
          JSON.stringify(notified.flapping),
          notified.at,
          key,
        );
    },
  };
  /** Holds Kysely's connection (waiting for the read barrier) while `fn` runs. */
  const held = <T>(fn: () => Promise<T>): Promise<T> => db.connection().execute(fn);
  return {
    // Reads that only say which groups to lock, without taking the connection: they wait for the
    // read barrier, and what a concurrent Kysely transaction has not committed yet only makes a
    // pass find nothing to do (each flush checks its group again under the lock).
    due: async (now, limit) => {
      await settled();
      return s.due.all(now, limit) as string[];
    },
    nextDue: () => {
      const at = s.nextDue.get() as number | null;
      return Promise.resolve(at === null ? null : Number(at));
    },
    pullForward: (keys, now) =>
      held(async () =>
        sqlite.transaction(() => {
          for (const k of keys) s.pullForward.run(now, k, now);
        })(),
      ),
    transaction: (fn) => inTransaction(() => fn(tx)),
  };
}
