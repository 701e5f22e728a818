import type { Kysely } from 'kysely';

// Alert ingest writes one membership row per alert and group. Its primary key (group_key,
// fingerprint) serves every query; the extra index on fingerprint alone was read by none, and each
// random insert into it dirtied one more page per alert in every ingest commit (~10 % of the
// SQLite time of a 100k-alert storm). See bench/README.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('alert_group_members_fp_idx').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('alert_group_members_fp_idx')
    .on('alert_group_members')
    .column('fingerprint')
    .execute();
}
