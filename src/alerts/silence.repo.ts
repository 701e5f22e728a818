import type { Kysely, Selectable } from 'kysely';
import type { DB, SilencesTable } from '../db/schema.js';
import { dialectOf } from '../db/dialect.js';
import type { Matcher } from '../kernel/matchers.js';
import type { Silence } from './silence.js';

const toSilence = (r: Selectable<SilencesTable>): Silence => ({
  id: r.id,
  matchers: JSON.parse(r.matchers) as Matcher[],
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  comment: r.comment,
  reason: r.reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRow = (s: Silence): Selectable<SilencesTable> => ({
  id: s.id,
  matchers: JSON.stringify(s.matchers.map(({ name, type, value }) => ({ name, type, value }))),
  starts_at: s.startsAt,
  ends_at: s.endsAt,
  created_by: s.createdBy,
  comment: s.comment,
  reason: s.reason,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

/** Silences are never deleted: an expired one stays as history. */
export const silenceRepo = {
  async get(ex: Kysely<DB>, id: string): Promise<Silence | null> {
    const r = await ex.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toSilence(r) : null;
  },

  /**
   * Inside a transaction: the silence, locked until commit on PostgreSQL so that two changes of
   * the same silence do not both replace it (SQLite runs one write transaction at a time anyway).
   */
  async getForUpdate(trx: Kysely<DB>, id: string): Promise<Silence | null> {
    let q = trx.selectFrom('silences').selectAll().where('id', '=', id);
    if (dialectOf(trx as unknown as Kysely<unknown>) === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toSilence(r) : null;
  },

  async list(ex: Kysely<DB>): Promise<Silence[]> {
    const rows = await ex.selectFrom('silences').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toSilence);
  },

  /** Silences that end after `t`: those pending or active at any time from `t` on. */
  async endingAfter(ex: Kysely<DB>, t: number): Promise<Silence[]> {
    const rows = await ex
      .selectFrom('silences')
      .selectAll()
      .where('ends_at', '>', t)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSilence);
  },

  async insert(ex: Kysely<DB>, s: Silence): Promise<void> {
    await ex.insertInto('silences').values(toRow(s)).execute();
  },

  async update(ex: Kysely<DB>, s: Silence): Promise<void> {
    const { id, created_at: _created, ...rest } = toRow(s);
    await ex.updateTable('silences').set(rest).where('id', '=', id).execute();
  },
};
