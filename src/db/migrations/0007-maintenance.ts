import type { Kysely } from 'kysely';

// Maintenance windows: one row per window. The schedule is JSON text ({kind: 'once', startsAt,
// endsAt} | {kind: 'cron', cron, durationMs} | {kind: 'weekly', days, start, end} | {kind:
// 'monthly', days, start, end}), matchers too ([{name, type, value}]). `managed_by` names the
// configuration file that declares the window (read-only in the API), null for windows made there.
// Names are unique: the file finds the windows it declares by name.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('managed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('maintenance_windows').execute();
}
