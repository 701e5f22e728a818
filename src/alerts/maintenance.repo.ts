import type { Kysely, Selectable } from 'kysely';
import type { DB, MaintenanceWindowsTable } from '../db/schema.js';
import type { Matcher } from '../kernel/matchers.js';
import type { MaintenanceMode, MaintenanceSchedule, MaintenanceWindow } from './maintenance.js';

const toWindow = (r: Selectable<MaintenanceWindowsTable>): MaintenanceWindow => ({
  id: r.id,
  name: r.name,
  matchers: JSON.parse(r.matchers) as Matcher[],
  schedule: JSON.parse(r.schedule) as MaintenanceSchedule,
  timeZone: r.time_zone,
  mode: r.mode as MaintenanceMode,
  comment: r.comment,
  createdBy: r.created_by,
  source: r.managed_by === null ? 'api' : 'config',
  managedBy: r.managed_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const scheduleJson = (s: MaintenanceSchedule): string => {
  // Only the fields of its kind, in a fixed order, so that equal schedules store equal text.
  switch (s.kind) {
    case 'once':
      return JSON.stringify({ kind: s.kind, startsAt: s.startsAt, endsAt: s.endsAt });
    case 'cron':
      return JSON.stringify({ kind: s.kind, cron: s.cron, durationMs: s.durationMs });
    case 'weekly':
    case 'monthly':
      return JSON.stringify({ kind: s.kind, days: s.days, start: s.start, end: s.end });
  }
};

const toRow = (w: MaintenanceWindow): Selectable<MaintenanceWindowsTable> => ({
  id: w.id,
  name: w.name,
  matchers: JSON.stringify(w.matchers.map(({ name, type, value }) => ({ name, type, value }))),
  schedule: scheduleJson(w.schedule),
  time_zone: w.timeZone,
  mode: w.mode,
  comment: w.comment,
  created_by: w.createdBy,
  managed_by: w.source === 'config' ? (w.managedBy ?? 'config') : null,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

/** Maintenance windows, ordered by name. Names are unique (a unique index), so the file can find its own. */
export const maintenanceRepo = {
  async list(ex: Kysely<DB>): Promise<MaintenanceWindow[]> {
    const rows = await ex
      .selectFrom('maintenance_windows')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(toWindow);
  },

  async get(ex: Kysely<DB>, id: string): Promise<MaintenanceWindow | null> {
    const r = await ex.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toWindow(r) : null;
  },

  async insert(ex: Kysely<DB>, w: MaintenanceWindow): Promise<void> {
    await ex.insertInto('maintenance_windows').values(toRow(w)).execute();
  },

  /** Replaces every field but the id and the creation time. */
  async update(ex: Kysely<DB>, w: MaintenanceWindow): Promise<void> {
    const { id, created_at: _created, ...rest } = toRow(w);
    await ex.updateTable('maintenance_windows').set(rest).where('id', '=', id).execute();
  },

  async remove(ex: Kysely<DB>, id: string): Promise<void> {
    await ex.deleteFrom('maintenance_windows').where('id', '=', id).execute();
  },
};

/** The stored form of a schedule, to compare a declared window with the stored one. */
export const sameSchedule = (a: MaintenanceSchedule, b: MaintenanceSchedule): boolean =>
  scheduleJson(a) === scheduleJson(b);
