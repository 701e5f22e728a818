import type { Kysely, Selectable } from 'kysely';
import type { DB, PagerdutyKeysTable } from '../db/schema.js';
import { dialectOf } from '../db/dialect.js';
import type { KeyState } from './pagerduty.js';

const toState = (r: Selectable<PagerdutyKeysTable>): KeyState => ({
  dedupKey: r.dedup_key,
  fingerprint: r.fingerprint,
  labels: JSON.parse(r.labels) as Record<string, string>,
  annotations: JSON.parse(r.annotations) as Record<string, string>,
  generatorUrl: r.generator_url,
  status: r.status === 'open' ? 'open' : 'resolved',
  openedAt: r.opened_at,
  resolvedAt: r.resolved_at,
  updatedAt: r.updated_at,
});

/** One row per dedup_key: the alert its latest trigger opened. */
export const pagerdutyRepo = {
  /** The key's state, locked until the transaction ends on PostgreSQL (SQLite has one writer anyway). */
  async get(ex: Kysely<DB>, dedupKey: string): Promise<KeyState | null> {
    let q = ex.selectFrom('pagerduty_keys').selectAll().where('dedup_key', '=', dedupKey);
    if (dialectOf(ex as unknown as Kysely<unknown>) === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? toState(row) : null;
  },

  async put(ex: Kysely<DB>, s: KeyState): Promise<void> {
    const row = {
      dedup_key: s.dedupKey,
      fingerprint: s.fingerprint,
      labels: JSON.stringify(s.labels),
      annotations: JSON.stringify(s.annotations),
      generator_url: s.generatorUrl,
      status: s.status,
      opened_at: s.openedAt,
      resolved_at: s.resolvedAt,
      updated_at: s.updatedAt,
    };
    const { dedup_key: _key, ...changes } = row;
    await ex
      .insertInto('pagerduty_keys')
      .values(row)
      .onConflict((oc) => oc.column('dedup_key').doUpdateSet(changes))
      .execute();
  },
};
