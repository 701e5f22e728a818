import type { Kysely, Selectable } from 'kysely';
import type { AlertGroupsTable, DB } from '../db/schema.js';
import { toStored } from './alert.repo.js';
import type { StoredAlert } from './alert.repo.js';
import type { NotifiedState } from './group-timer.js';
import type { GroupMember } from './flush-plan.js';
import type { NewMember } from './ingest-sqlite.js';

export interface GroupRow {
  groupKey: string;
  routeId: string;
  receiver: string;
  groupLabels: Record<string, string>;
  createdAt: number;
  nextFlushAt: number;
  notified: NotifiedState;
  /** Who acknowledged the group, when, and what was firing then; null when nobody did. */
  ack: GroupAck | null;
}

export interface GroupAck {
  by: string;
  at: number;
  firing: string[];
}

const CHUNK = 500;

/** A stored group row as the dispatcher reads it (shared with flush-sqlite.ts). */
export function toGroupRow(r: Selectable<AlertGroupsTable>): GroupRow {
  return {
    groupKey: r.group_key,
    routeId: r.route_id,
    receiver: r.receiver,
    groupLabels: JSON.parse(r.group_labels) as Record<string, string>,
    createdAt: r.created_at,
    nextFlushAt: r.next_flush_at,
    notified: {
      firing: r.notified_firing === null ? null : (JSON.parse(r.notified_firing) as string[]),
      resolved: JSON.parse(r.notified_resolved) as string[],
      flapping: JSON.parse(r.notified_flapping) as string[],
      at: r.notified_at,
    },
    ack:
      r.acked_by !== null && r.acked_at !== null
        ? { by: r.acked_by, at: Number(r.acked_at), firing: JSON.parse(r.acked_firing ?? '[]') as string[] }
        : null,
  };
}

export const groupRepo = {
  async existing(ex: Kysely<DB>, keys: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await ex
        .selectFrom('alert_groups')
        .select('group_key')
        .where('group_key', 'in', keys.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) out.add(r.group_key);
    }
    return out;
  },

  async insert(ex: Kysely<DB>, groups: Omit<GroupRow, 'notified' | 'ack'>[]): Promise<void> {
    for (let i = 0; i < groups.length; i += CHUNK)
      await ex
        .insertInto('alert_groups')
        .values(
          groups.slice(i, i + CHUNK).map((g) => ({
            group_key: g.groupKey,
            route_id: g.routeId,
            receiver: g.receiver,
            group_labels: JSON.stringify(g.groupLabels),
            created_at: g.createdAt,
            next_flush_at: g.nextFlushAt,
            notified_firing: null,
            notified_resolved: '[]',
            notified_at: null,
          })),
        )
        .onConflict((oc) => oc.column('group_key').doNothing())
        .execute();
  },

  async addMembers(ex: Kysely<DB>, members: NewMember[]): Promise<void> {
    for (let i = 0; i < members.length; i += CHUNK)
      await ex
        .insertInto('alert_group_members')
        .values(
          members
            .slice(i, i + CHUNK)
            .map((m) => ({ group_key: m.groupKey, fingerprint: m.fingerprint, joined_at: m.joinedAt })),
        )
        .onConflict((oc) => oc.columns(['group_key', 'fingerprint']).doNothing())
        .execute();
  },

  /** Groups whose timer is due, earliest first. */
  async due(ex: Kysely<DB>, now: number, limit: number): Promise<string[]> {
    const rows = await ex
      .selectFrom('alert_groups')
      .select('group_key')
      .where('next_flush_at', '<=', now)
      .orderBy('next_flush_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.group_key);
  },

  async nextDue(ex: Kysely<DB>): Promise<number | null> {
    const r = await ex
      .selectFrom('alert_groups')
      .select((eb) => eb.fn.min('next_flush_at').as('at'))
      .executeTakeFirst();
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  },

  /** The group, locked for this transaction where the database can (PostgreSQL: FOR UPDATE). */
  async lock(ex: Kysely<DB>, key: string, pg: boolean): Promise<GroupRow | null> {
    let q = ex.selectFrom('alert_groups').selectAll().where('group_key', '=', key);
    if (pg) q = q.forUpdate().skipLocked();
    const r = await q.executeTakeFirst();
    return r ? toGroupRow(r) : null;
  },

  /** Records an acknowledgement of the group: `firing` are the alerts firing now. False when the group is gone. */
  async acknowledge(ex: Kysely<DB>, key: string, ack: GroupAck): Promise<boolean> {
    const r = await ex
      .updateTable('alert_groups')
      .set({ acked_by: ack.by, acked_at: ack.at, acked_firing: JSON.stringify([...ack.firing].sort()) })
      .where('group_key', '=', key)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Acknowledgements of the groups named, by group key. */
  async acks(ex: Kysely<DB>, keys: readonly string[]): Promise<Map<string, GroupAck>> {
    if (keys.length === 0) return new Map();
    const rows = await ex
      .selectFrom('alert_groups')
      .select(['group_key', 'acked_by', 'acked_at', 'acked_firing'])
      .where('group_key', 'in', [...keys])
      .where('acked_by', 'is not', null)
      .execute();
    return new Map(
      rows.map((r) => [
        r.group_key,
        {
          by: r.acked_by ?? '',
          at: Number(r.acked_at),
          firing: JSON.parse(r.acked_firing ?? '[]') as string[],
        },
      ]),
    );
  },

  /** Just what a flush decision needs, without parsing labels: cheap enough for every tick. */
  async memberStates(ex: Kysely<DB>, key: string): Promise<GroupMember[]> {
    const rows = await ex
      .selectFrom('alert_group_members as m')
      .innerJoin('alerts as a', 'a.fingerprint', 'm.fingerprint')
      .select(['a.fingerprint', 'a.starts_at', 'a.ends_at', 'm.joined_at'])
      .where('m.group_key', '=', key)
      .execute();
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      joinedAt: r.joined_at,
    }));
  },

  async members(ex: Kysely<DB>, key: string): Promise<StoredAlert[]> {
    const rows = await ex
      .selectFrom('alert_group_members as m')
      .innerJoin('alerts as a', 'a.fingerprint', 'm.fingerprint')
      .selectAll('a')
      .where('m.group_key', '=', key)
      .execute();
    return rows.map(toStored);
  },

  async afterFlush(
    ex: Kysely<DB>,
    key: string,
    nextFlushAt: number,
    notified: NotifiedState | null,
  ): Promise<void> {
    await ex
      .updateTable('alert_groups')
      .set({
        next_flush_at: nextFlushAt,
        ...(notified
          ? {
              notified_firing: JSON.stringify(notified.firing ?? []),
              notified_resolved: JSON.stringify(notified.resolved),
              notified_flapping: JSON.stringify(notified.flapping),
              notified_at: notified.at,
            }
          : {}),
      })
      .where('group_key', '=', key)
      .execute();
  },

  /** Moves the timers of these groups to `now` where they are later (a held flush may go on). */
  async pullForward(ex: Kysely<DB>, keys: readonly string[], now: number): Promise<void> {
    for (let i = 0; i < keys.length; i += CHUNK)
      await ex
        .updateTable('alert_groups')
        .set({ next_flush_at: now })
        .where('group_key', 'in', keys.slice(i, i + CHUNK))
        .where('next_flush_at', '>', now)
        .execute();
  },

  async removeMembers(ex: Kysely<DB>, key: string, fingerprints: string[]): Promise<void> {
    for (let i = 0; i < fingerprints.length; i += CHUNK)
      await ex
        .deleteFrom('alert_group_members')
        .where('group_key', '=', key)
        .where('fingerprint', 'in', fingerprints.slice(i, i + CHUNK))
        .execute();
  },

  async remove(ex: Kysely<DB>, key: string): Promise<void> {
    await ex.deleteFrom('alert_group_members').where('group_key', '=', key).execute();
    await ex.deleteFrom('alert_groups').where('group_key', '=', key).execute();
  },
};
