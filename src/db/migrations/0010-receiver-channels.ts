import type { Kysely } from 'kysely';

// Channels added to a receiver in the UI or the API (issue 4). The configuration file keeps owning
// routes and receiver names; a row adds one channel to the receiver it names. `config` is the
// channel's `*_configs` entry as JSON, with the secret fields sealed by the server's secret key.
// `position` orders a receiver's channels after the file's (policy fallback tries them in order).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('receiver_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('receiver_channels_receiver_idx')
    .on('receiver_channels')
    .columns(['receiver', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('receiver_channels').execute();
}
