// After a configuration reload changed the route tree: the aggregation groups are formed anew from
// the alerts firing now, as Alertmanager does when it rebuilds its dispatcher. A group whose key
// survives (same route key, same group labels) keeps its timer and what it last told its receiver,
// so nothing is sent twice; a new group waits `group_wait`; a group whose key is gone ends.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { alertRepo } from './alert.repo.js';
import { firstFlushAt } from './group-timer.js';
import { groupKey, groupLabels, matchRoutes } from './route.js';
import type { CompiledRoute } from './route.js';

export interface RegroupResult {
  kept: number;
  created: number;
  ended: number;
  /** The earliest timer among the groups, or null when there are none. */
  nextFlushAt: number | null;
}

const CHUNK = 500;

/** Runs in one transaction; on PostgreSQL it locks the groups so ingest waits for it. */
export async function regroup(
  db: Kysely<DB>,
  root: CompiledRoute,
  now: number,
  postgres: boolean,
): Promise<RegroupResult> {
  return db.transaction().execute(async (trx) => {
    if (postgres) await sql`lock table alert_groups, alert_group_members in exclusive mode`.execute(trx);
    const old = new Map(
      (await trx.selectFrom('alert_groups').selectAll().execute()).map((g) => [g.group_key, g]),
    );
    const groups = new Map<string, { route: CompiledRoute; labels: Record<string, string>; fps: string[] }>();
    for (const a of await alertRepo.active(trx, now))
      for (const route of matchRoutes(root, a.labels)) {
        const labels = groupLabels(route, a.labels);
        const key = groupKey(route, labels);
        const g = groups.get(key) ?? { route, labels, fps: [] };
        g.fps.push(a.fingerprint);
        groups.set(key, g);
      }
    await trx.deleteFrom('alert_group_members').execute();
    await trx.deleteFrom('alert_groups').execute();
    const rows = [...groups].map(([key, g]) => {
      const prior = old.get(key);
      return {
        group_key: key,
        route_id: g.route.node.id,
        receiver: g.route.node.receiver,
        group_labels: JSON.stringify(g.labels),
        created_at: prior?.created_at ?? now,
        next_flush_at: prior?.next_flush_at ?? firstFlushAt(now, g.route.node),
        notified_firing: prior?.notified_firing ?? null,
        notified_resolved: prior?.notified_resolved ?? '[]',
        notified_flapping: prior?.notified_flapping ?? '[]',
        notified_at: prior?.notified_at ?? null,
        acked_by: prior?.acked_by ?? null,
        acked_at: prior?.acked_at ?? null,
        acked_firing: prior?.acked_firing ?? null,
      };
    });
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx
        .insertInto('alert_groups')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    const members = [...groups].flatMap(([key, g]) =>
      // Every one was received before now: present since the group began, as they were (0).
      g.fps.map((fp) => ({ group_key: key, fingerprint: fp, joined_at: 0 })),
    );
    for (let i = 0; i < members.length; i += CHUNK)
      await trx
        .insertInto('alert_group_members')
        .values(members.slice(i, i + CHUNK))
        .execute();
    const kept = rows.filter((r) => old.has(r.group_key)).length;
    return {
      kept,
      created: rows.length - kept,
      ended: old.size - kept,
      nextFlushAt: rows.length ? Math.min(...rows.map((r) => r.next_flush_at)) : null,
    };
  });
}
