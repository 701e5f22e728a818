import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// Aggregation groups with their durable timers, the alerts each group holds, and the outbox of
// notifications with every delivery attempt.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';

  await db.schema
    .createTable('alert_groups')
    .addColumn('group_key', 'text', (c) => c.primaryKey())
    .addColumn('route_id', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('group_labels', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('next_flush_at', 'bigint', (c) => c.notNull())
    .addColumn('notified_firing', 'text')
    .addColumn('notified_resolved', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notified_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('alert_groups_next_flush_idx')
    .on('alert_groups')
    .column('next_flush_at')
    .execute();

  await db.schema
    .createTable('alert_group_members')
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_group_members_pk', ['group_key', 'fingerprint'])
    .execute();
  await db.schema
    .createIndex('alert_group_members_fp_idx')
    .on('alert_group_members')
    .column('fingerprint')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('integration', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_group_idx')
    .on('notifications')
    .columns(['group_key', 'created_at'])
    .execute();

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('id', pg ? sql`bigserial` : sql`integer`, (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('delivery_attempts_notification_idx')
    .on('delivery_attempts')
    .column('notification_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['delivery_attempts', 'notifications', 'alert_group_members', 'alert_groups'])
    await db.schema.dropTable(t).execute();
}
