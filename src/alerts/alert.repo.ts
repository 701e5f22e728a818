import type SQLite from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { AlertsTable, DB } from '../db/schema.js';
import type { Alert, AlertSource, AlertStatus, Severity } from './model.js';

export interface StoredAlert extends Alert {
  status: AlertStatus;
  severity: Severity | null;
}

/** Rows per statement: well under SQLite's 32,766 bound parameters at 13 columns a row. */
const CHUNK = 500;

const chunks = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

export const toStored = (r: Selectable<AlertsTable>): StoredAlert => ({
  fingerprint: r.fingerprint,
  labels: JSON.parse(r.labels) as Record<string, string>,
  annotations: JSON.parse(r.annotations) as Record<string, string>,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  timeout: r.timeout === 1,
  updatedAt: r.updated_at,
  generatorUrl: r.generator_url,
  source: r.source as AlertSource,
  status: r.status as AlertStatus,
  severity: r.severity as Severity | null,
});

/** What a notification shows of an alert besides its state. */
export type AlertShown = Pick<StoredAlert, 'labels' | 'annotations' | 'generatorUrl'>;

/** What a notification shows of an alert, from its stored columns. */
const shown = (labels: string, annotations: string, generatorUrl: string): AlertShown => ({
  labels: JSON.parse(labels) as Record<string, string>,
  annotations: JSON.parse(annotations) as Record<string, string>,
  generatorUrl,
});

export interface EpisodeRow {
  id: number;
  fingerprint: string;
  startedAt: number;
  endedAt: number | null;
}

export const alertRepo = {
  async getMany(ex: Kysely<DB>, fingerprints: string[]): Promise<Map<string, StoredAlert>> {
    const out = new Map<string, StoredAlert>();
    for (const part of chunks(fingerprints)) {
      const rows = await ex.selectFrom('alerts').selectAll().where('fingerprint', 'in', part).execute();
      for (const r of rows) out.set(r.fingerprint, toStored(r));
    }
    return out;
  },

  /** What a notification shows of each alert (labels, annotations, generator URL): the delivery engine's read. */
  async details(ex: Kysely<DB>, fingerprints: string[]): Promise<Map<string, AlertShown>> {
    const out = new Map<string, AlertShown>();
    for (const part of chunks(fingerprints)) {
      const rows = await ex
        .selectFrom('alerts')
        .select(['fingerprint', 'labels', 'annotations', 'generator_url'])
        .where('fingerprint', 'in', part)
        .execute();
      for (const r of rows) out.set(r.fingerprint, shown(r.labels, r.annotations, r.generator_url));
    }
    return out;
  },

  async upsertMany(ex: Kysely<DB>, alerts: StoredAlert[]): Promise<void> {
    for (const part of chunks(alerts)) {
      await ex
        .insertInto('alerts')
        .values(
          part.map((a) => ({
            fingerprint: a.fingerprint,
            labels: JSON.stringify(a.labels),
            annotations: JSON.stringify(a.annotations),
            alertname: a.labels.alertname ?? '',
            severity: a.severity,
            service: a.labels.service ?? null,
            source: a.source,
            generator_url: a.generatorUrl,
            starts_at: a.startsAt,
            ends_at: a.endsAt,
            timeout: a.timeout ? 1 : 0,
            updated_at: a.updatedAt,
            status: a.status,
          })),
        )
        .onConflict((oc) =>
          oc.column('fingerprint').doUpdateSet((eb) => ({
            annotations: eb.ref('excluded.annotations'),
            severity: eb.ref('excluded.severity'),
            source: eb.ref('excluded.source'),
            generator_url: eb.ref('excluded.generator_url'),
            starts_at: eb.ref('excluded.starts_at'),
            ends_at: eb.ref('excluded.ends_at'),
            timeout: eb.ref('excluded.timeout'),
            updated_at: eb.ref('excluded.updated_at'),
            status: eb.ref('excluded.status'),
          })),
        )
        .execute();
    }
  },

  async openEpisodes(
    ex: Kysely<DB>,
    eps: { fingerprint: string; startedAt: number; endedAt: number | null }[],
  ): Promise<void> {
    for (const part of chunks(eps))
      await ex
        .insertInto('alert_episodes')
        .values(
          part.map((e) => ({ fingerprint: e.fingerprint, started_at: e.startedAt, ended_at: e.endedAt })),
        )
        .execute();
  },

  /** Closes the open episode of each alert at its end time. */
  async closeEpisodes(ex: Kysely<DB>, ends: { fingerprint: string; endedAt: number }[]): Promise<void> {
    for (const e of ends)
      await ex
        .updateTable('alert_episodes')
        .set({ ended_at: e.endedAt })
        .where('fingerprint', '=', e.fingerprint)
        .where('ended_at', 'is', null)
        .execute();
  },

  /** Re-opens the latest episode of each alert (a resolved alert that fires again within it). */
  async reopenEpisodes(ex: Kysely<DB>, fingerprints: string[]): Promise<void> {
    for (const fp of fingerprints) {
      const last = await ex
        .selectFrom('alert_episodes')
        .select('id')
        .where('fingerprint', '=', fp)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last)
        await ex.updateTable('alert_episodes').set({ ended_at: null }).where('id', '=', last.id).execute();
    }
  },

  /** Alerts still marked firing whose end time has passed: they resolved by timing out. */
  async expired(
    ex: Kysely<DB>,
    now: number,
    limit: number,
  ): Promise<{ fingerprint: string; endsAt: number }[]> {
    const rows = await ex
      .selectFrom('alerts')
      .select(['fingerprint', 'ends_at'])
      .where('status', '=', 'firing')
      .where('ends_at', '<=', now)
      .orderBy('ends_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ fingerprint: r.fingerprint, endsAt: r.ends_at }));
  },

  /** Marks alerts resolved unless a newer write made them fire again; returns those it changed. */
  async markResolved(ex: Kysely<DB>, now: number, fingerprints: string[]): Promise<string[]> {
    const changed: string[] = [];
    for (const part of chunks(fingerprints)) {
      const rows = await ex
        .updateTable('alerts')
        .set({ status: 'resolved' })
        .where('fingerprint', 'in', part)
        .where('status', '=', 'firing')
        .where('ends_at', '<=', now)
        .returning('fingerprint')
        .execute();
      changed.push(...rows.map((r) => r.fingerprint));
    }
    return changed;
  },

  async active(ex: Kysely<DB>, now: number): Promise<StoredAlert[]> {
    const rows = await ex
      .selectFrom('alerts')
      .selectAll()
      .where('status', '=', 'firing')
      .where('ends_at', '>', now)
      .orderBy('starts_at')
      .execute();
    return rows.map(toStored);
  },

  /**
   * Firing episodes overlapping [from, to), newest first, with their alert; `before` pages on the
   * episode id. The state filter is the alert's episode: open (firing) or closed (resolved).
   */
  async episodes(
    ex: Kysely<DB>,
    q: {
      from?: number | undefined;
      to?: number | undefined;
      state?: AlertStatus | undefined;
      alertname?: string | undefined;
      before?: number | undefined;
      limit: number;
    },
  ): Promise<{ episode: EpisodeRow; alert: StoredAlert }[]> {
    let s = ex
      .selectFrom('alert_episodes as e')
      .innerJoin('alerts as a', 'a.fingerprint', 'e.fingerprint')
      .selectAll('a')
      .select(['e.id as episode_id', 'e.started_at', 'e.ended_at']);
    if (q.to !== undefined) s = s.where('e.started_at', '<', q.to);
    if (q.from !== undefined) {
      const from = q.from;
      s = s.where((eb) => eb.or([eb('e.ended_at', 'is', null), eb('e.ended_at', '>=', from)]));
    }
    if (q.state === 'firing') s = s.where('e.ended_at', 'is', null);
    if (q.state === 'resolved') s = s.where('e.ended_at', 'is not', null);
    if (q.alertname) s = s.where('a.alertname', '=', q.alertname);
    if (q.before !== undefined) s = s.where('e.id', '<', q.before);
    const rows = await s.orderBy('e.id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      episode: {
        id: Number(r.episode_id),
        fingerprint: r.fingerprint,
        startedAt: r.started_at,
        endedAt: r.ended_at,
      },
      alert: toStored(r),
    }));
  },
};

/**
 * `alertRepo.details` on embedded SQLite: one prepared statement, run synchronously (the delivery
 * engine reads this for every notification it sends; Kysely builds the query anew each time). It
 * does not wait for the read barrier: a notification only lists alerts its flush read from the tables.
 */
export function sqliteDetails(
  sqlite: SQLite.Database,
): (fingerprints: string[]) => Promise<Map<string, AlertShown>> {
  const get = sqlite
    .prepare('select labels, annotations, generator_url from alerts where fingerprint = ?')
    .raw();
  return (fingerprints) => {
    const out = new Map<string, AlertShown>();
    for (const fp of fingerprints) {
      const r = get.get(fp) as [string, string, string] | undefined;
      if (r) out.set(fp, shown(...r));
    }
    return Promise.resolve(out);
  };
}
