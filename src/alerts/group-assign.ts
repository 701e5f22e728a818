// Inside the ingest transaction: adds alerts to the aggregation groups of every route that takes
// them, creating a group (timer at now + group_wait) for a firing alert that has none yet.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { StoredAlert } from './alert.repo.js';
import { groupRepo } from './group.repo.js';
import type { NewGroup, NewMember, SqliteIngest } from './ingest-sqlite.js';
import { firstFlushAt } from './group-timer.js';
import { statusAt } from './model.js';
import { groupKey, groupLabels, matchRoutes } from './route.js';
import type { CompiledRoute } from './route.js';

type Touched = Map<
  string,
  { route: CompiledRoute; labels: Record<string, string>; firing: boolean; fps: string[] }
>;

/** The groups these alerts belong to, each with its alerts and whether one of them fires. */
function touchedGroups(root: CompiledRoute, alerts: readonly StoredAlert[], now: number): Touched {
  const groups: Touched = new Map();
  for (const a of alerts) {
    const firing = statusAt(a, now) === 'firing';
    for (const route of matchRoutes(root, a.labels)) {
      const labels = groupLabels(route, a.labels);
      const key = groupKey(route, labels);
      const g = groups.get(key) ?? { route, labels, firing: false, fps: [] };
      g.firing ||= firing;
      g.fps.push(a.fingerprint);
      groups.set(key, g);
    }
  }
  return groups;
}

/** Groups to create (firing alerts, no group yet) and the memberships to record in live groups. */
function changes(
  groups: Touched,
  existing: Set<string>,
  now: number,
): { created: NewGroup[]; members: NewMember[] } {
  const created = [...groups.entries()]
    .filter(([key, g]) => !existing.has(key) && g.firing)
    .map(([key, g]) => ({
      groupKey: key,
      routeId: g.route.node.id,
      receiver: g.route.node.receiver,
      groupLabels: g.labels,
      createdAt: now,
      nextFlushAt: firstFlushAt(now, g.route.node),
    }));
  const live = new Set([...existing, ...created.map((c) => c.groupKey)]);
  const members = [...groups.entries()]
    .filter(([key]) => live.has(key))
    .flatMap(([key, g]) => g.fps.map((fingerprint) => ({ groupKey: key, fingerprint, joinedAt: now })));
  return { created, members };
}

const earliest = (created: NewGroup[]): number | null =>
  created.length ? Math.min(...created.map((c) => c.nextFlushAt)) : null;

/** Returns the earliest timer of the groups it created, or null when it created none. */
export async function assignToGroups(
  trx: Kysely<DB>,
  root: CompiledRoute,
  alerts: readonly StoredAlert[],
  now: number,
): Promise<number | null> {
  const groups = touchedGroups(root, alerts, now);
  if (groups.size === 0) return null;
  const { created, members } = changes(groups, await groupRepo.existing(trx, [...groups.keys()]), now);
  await groupRepo.insert(trx, created);
  await groupRepo.addMembers(trx, members);
  return earliest(created);
}

/** `assignToGroups` on the SQLite fast path: synchronous, inside the caller's SQLite transaction. */
export function assignToGroupsSync(
  st: SqliteIngest,
  root: CompiledRoute,
  alerts: readonly StoredAlert[],
  now: number,
): number | null {
  const groups = touchedGroups(root, alerts, now);
  if (groups.size === 0) return null;
  const { created, members } = changes(groups, st.existingGroups(groups.keys()), now);
  st.insertGroups(created);
  st.addMembers(members);
  return earliest(created);
}
