import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// The alert store: one row per fingerprint (its latest state) and one row per firing episode, so
// every alert that ever fired can be found later.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const serial = pg ? sql`bigserial` : sql`integer`;

  await db.schema
    .createTable('alerts')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('alertname', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('service', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('generator_url', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('timeout', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_status_ends_idx').on('alerts').columns(['status', 'ends_at']).execute();
  await db.schema.createIndex('alerts_alertname_idx').on('alerts').column('alertname').execute();

  await db.schema
    .createTable('alert_episodes')
    .addColumn('id', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('alert_episodes_fp_idx')
    .on('alert_episodes')
    .columns(['fingerprint', 'started_at'])
    .execute();
  await db.schema
    .createIndex('alert_episodes_started_idx')
    .on('alert_episodes')
    .column('started_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_episodes').execute();
  await db.schema.dropTable('alerts').execute();
}
