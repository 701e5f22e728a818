import type { Kysely } from 'kysely';

// The delivery log (issue 4): every attempt says which receiver and channel it was for, the
// destination its rate limit counts against, the provider's own code, and how many notifications it
// carried (more than one when queued notifications were merged into a digest while the destination
// was throttled). Old rows keep nulls; the log reads receiver and channel from the notification then.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('delivery_attempts').addColumn('receiver', 'text').execute();
  await db.schema.alterTable('delivery_attempts').addColumn('channel', 'text').execute();
  await db.schema.alterTable('delivery_attempts').addColumn('destination', 'text').execute();
  await db.schema.alterTable('delivery_attempts').addColumn('provider_code', 'text').execute();
  await db.schema
    .alterTable('delivery_attempts')
    .addColumn('merged', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('delivery_attempts_at_idx').on('delivery_attempts').column('at').execute();
  await db.schema
    .createIndex('delivery_attempts_destination_idx')
    .on('delivery_attempts')
    .columns(['destination', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_attempts_destination_idx').execute();
  await db.schema.dropIndex('delivery_attempts_at_idx').execute();
  for (const c of ['merged', 'provider_code', 'destination', 'channel', 'receiver'])
    await db.schema.alterTable('delivery_attempts').dropColumn(c).execute();
}
