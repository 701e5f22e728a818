import type { Kysely } from 'kysely';

// Flapping: which alerts a group last notified as flapping (JSON array of fingerprints), so a
// flapping alert is told once and then quiet until it settles.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('alert_groups')
    .addColumn('notified_flapping', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alert_groups').dropColumn('notified_flapping').execute();
}
