import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Small key/value state that belongs to the installation (setup token, key check). */
export const settingsRepo = {
  async get(ex: Kysely<DB>, key: string): Promise<string | null> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  },
  async put(ex: Kysely<DB>, key: string, value: string, now: number): Promise<void> {
    await ex
      .insertInto('settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  },
  /** Deletes the key; true when it existed. Two racing callers cannot both get true. */
  async take(ex: Kysely<DB>, key: string): Promise<boolean> {
    const res = await ex.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },
};
