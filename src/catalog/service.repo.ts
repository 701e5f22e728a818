import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export type Tier = 'P0' | 'P1' | 'P2' | 'P3';

/** A monitored business system (ERP, OMS, a marketplace connector), the unit alerts and checks belong to. */
export interface ServiceRecord {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  team: string | null;
  tier: Tier | null;
  runbookUrl: string | null;
  labels: Record<string, string>;
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export type ServiceWrite = Omit<ServiceRecord, 'team' | 'createdAt' | 'updatedAt'>;

const toRow = (s: ServiceWrite) => ({
  name: s.name,
  description: s.description,
  team_id: s.teamId,
  tier: s.tier,
  runbook_url: s.runbookUrl,
  labels: JSON.stringify(s.labels),
  managed_by: s.managedBy,
});

async function select(ex: Kysely<DB>, id?: string): Promise<ServiceRecord[]> {
  let q = ex
    .selectFrom('services')
    .leftJoin('teams', 'teams.id', 'services.team_id')
    .selectAll('services')
    .select('teams.name as team_name');
  if (id !== undefined) q = q.where('services.id', '=', id);
  const rows = await q.orderBy('services.name').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    teamId: r.team_id,
    team: r.team_name ?? null,
    tier: r.tier as Tier | null,
    runbookUrl: r.runbook_url,
    labels: JSON.parse(r.labels) as Record<string, string>,
    managedBy: r.managed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export const serviceRepo = {
  list: (ex: Kysely<DB>): Promise<ServiceRecord[]> => select(ex),
  async byId(ex: Kysely<DB>, id: string): Promise<ServiceRecord | null> {
    return (await select(ex, id))[0] ?? null;
  },
  async insert(ex: Kysely<DB>, s: ServiceWrite, now: number): Promise<void> {
    await ex
      .insertInto('services')
      .values({ id: s.id, ...toRow(s), created_at: now, updated_at: now })
      .execute();
  },
  async update(ex: Kysely<DB>, s: ServiceWrite, now: number): Promise<void> {
    await ex
      .updateTable('services')
      .set({ ...toRow(s), updated_at: now })
      .where('id', '=', s.id)
      .execute();
  },
  async remove(ex: Kysely<DB>, id: string): Promise<void> {
    await ex.deleteFrom('services').where('id', '=', id).execute();
  },
};
