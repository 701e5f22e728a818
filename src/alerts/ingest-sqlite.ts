// The SQLite hot path of alert ingest: the same rows `alert.repo.ts` and `group.repo.ts` write,
// through statements prepared once and run synchronously inside one SQLite transaction. Kysely
// compiles every query anew (a third of ingest time in the profile); PostgreSQL keeps using Kysely.
// A column added to `alerts`, `alert_episodes`, `alert_groups` or `alert_group_members` must be
// written here too.
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { AlertsTable } from '../db/schema.js';
import { toStored } from './alert.repo.js';
import type { StoredAlert } from './alert.repo.js';
import { planWrite } from './ingest-plan.js';
import type { WritePlan } from './ingest-plan.js';
import type { Alert, Severity } from './model.js';

export interface NewGroup {
  groupKey: string;
  routeId: string;
  receiver: string;
  groupLabels: Record<string, string>;
  createdAt: number;
  nextFlushAt: number;
}

/** An alert joining a group, at the time it was received. */
export interface NewMember {
  groupKey: string;
  fingerprint: string;
  joinedAt: number;
}

/** Prepared statements over the embedded SQLite handle; call only inside `transaction`. */
export class SqliteIngest {
  private readonly s;

  constructor(private readonly sqlite: SQLite.Database) {
    const p = (q: string) => sqlite.prepare(q);
    this.s = {
      getAlert: p('select * from alerts where fingerprint = ?'),
      upsertAlert: p(
        `insert into alerts (fingerprint, labels, annotations, alertname, severity, service, source,
           generator_url, starts_at, ends_at, timeout, updated_at, status)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (fingerprint) do update set annotations = excluded.annotations,
           severity = excluded.severity, source = excluded.source, generator_url = excluded.generator_url,
           starts_at = excluded.starts_at, ends_at = excluded.ends_at, timeout = excluded.timeout,
           updated_at = excluded.updated_at, status = excluded.status`,
      ),
      openEpisode: p('insert into alert_episodes (fingerprint, started_at, ended_at) values (?, ?, ?)'),
      closeEpisode: p('update alert_episodes set ended_at = ? where fingerprint = ? and ended_at is null'),
      lastEpisode: p('select id from alert_episodes where fingerprint = ? order by id desc limit 1').pluck(),
      reopenEpisode: p('update alert_episodes set ended_at = null where id = ?'),
      groupExists: p('select 1 from alert_groups where group_key = ?').pluck(),
      insertGroup: p(
        `insert into alert_groups (group_key, route_id, receiver, group_labels, created_at, next_flush_at,
           notified_firing, notified_resolved, notified_at)
         values (?, ?, ?, ?, ?, ?, null, '[]', null) on conflict (group_key) do nothing`,
      ),
      addMember: p(
        `insert into alert_group_members (group_key, fingerprint, joined_at) values (?, ?, ?)
         on conflict (group_key, fingerprint) do nothing`,
      ),
    };
  }

  /** Runs `fn` in one SQLite transaction (committed when it returns, rolled back when it throws). */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  /** Merges `batch` into the stored alerts and writes alerts and episodes; the caller groups `next`. */
  write(batch: Iterable<Alert>, now: number, severityMap?: Readonly<Record<string, Severity>>): WritePlan {
    const alerts = [...batch];
    const p = planWrite(this.getMany(alerts.map((a) => a.fingerprint)), alerts, now, severityMap);
    this.upsertMany(p.next);
    this.closeEpisodes(p.closes);
    this.reopenEpisodes(p.reopens);
    this.openEpisodes(p.opens);
    return p;
  }

  getMany(fingerprints: Iterable<string>): Map<string, StoredAlert> {
    const out = new Map<string, StoredAlert>();
    for (const fp of fingerprints) {
      const r = this.s.getAlert.get(fp) as Selectable<AlertsTable> | undefined;
      if (r) out.set(fp, toStored(r));
    }
    return out;
  }

  upsertMany(alerts: readonly StoredAlert[]): void {
    for (const a of alerts)
      this.s.upsertAlert.run(
        a.fingerprint,
        JSON.stringify(a.labels),
        JSON.stringify(a.annotations),
        a.labels.alertname ?? '',
        a.severity,
        a.labels.service ?? null,
        a.source,
        a.generatorUrl,
        a.startsAt,
        a.endsAt,
        a.timeout ? 1 : 0,
        a.updatedAt,
        a.status,
      );
  }

  openEpisodes(eps: readonly { fingerprint: string; startedAt: number; endedAt: number | null }[]): void {
    for (const e of eps) this.s.openEpisode.run(e.fingerprint, e.startedAt, e.endedAt);
  }

  closeEpisodes(ends: readonly { fingerprint: string; endedAt: number }[]): void {
    for (const e of ends) this.s.closeEpisode.run(e.endedAt, e.fingerprint);
  }

  reopenEpisodes(fingerprints: readonly string[]): void {
    for (const fp of fingerprints) {
      const id = this.s.lastEpisode.get(fp) as number | undefined;
      if (id !== undefined) this.s.reopenEpisode.run(id);
    }
  }

  existingGroups(keys: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const k of keys) if (this.s.groupExists.get(k) !== undefined) out.add(k);
    return out;
  }

  insertGroups(groups: readonly NewGroup[]): void {
    for (const g of groups)
      this.s.insertGroup.run(
        g.groupKey,
        g.routeId,
        g.receiver,
        JSON.stringify(g.groupLabels),
        g.createdAt,
        g.nextFlushAt,
      );
  }

  addMembers(members: readonly NewMember[]): void {
    for (const m of members) this.s.addMember.run(m.groupKey, m.fingerprint, m.joinedAt);
  }
}
