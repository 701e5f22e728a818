import type { Kysely } from 'kysely';

// When an alert joined its group (the time it was received): a flush lists the members that had
// joined by the time it was due, as Alertmanager's would have, even when it runs later. Members from
// before this column count as present since the group began.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('alert_group_members')
    .addColumn('joined_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alert_group_members').dropColumn('joined_at').execute();
}
