import type { Kysely } from 'kysely';

// PagerDuty Events API v2: one row per dedup_key, holding the labels its alert was opened with.
// Acknowledge and resolve events carry no payload, so this is how they find the alert (fingerprint)
// a trigger opened; `status` says whether a new trigger appends to that alert or opens a new one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pagerduty_keys')
    .addColumn('dedup_key', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('generator_url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pagerduty_keys').execute();
}
