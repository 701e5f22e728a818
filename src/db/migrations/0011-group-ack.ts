import type { Kysely } from 'kysely';

// Acknowledging an alert group ("I am on it"): who and when, and the alerts that were firing then.
// While no other alert fires in the group, its repeat notifications stop; news still goes out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alert_groups').addColumn('acked_by', 'text').execute();
  await db.schema.alterTable('alert_groups').addColumn('acked_at', 'bigint').execute();
  await db.schema.alterTable('alert_groups').addColumn('acked_firing', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const c of ['acked_firing', 'acked_at', 'acked_by'])
    await db.schema.alterTable('alert_groups').dropColumn(c).execute();
}
