import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Role } from './model.js';

export interface TeamMember {
  userId: string;
  username: string;
  role: Role;
}

export interface TeamRecord {
  id: string;
  name: string;
  description: string;
  managedBy: string | null;
  members: TeamMember[];
  createdAt: number;
  updatedAt: number;
}

export const teamRepo = {
  async list(ex: Kysely<DB>): Promise<TeamRecord[]> {
    const teams = await ex.selectFrom('teams').selectAll().orderBy('name').execute();
    const members = await ex
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['team_members.team_id', 'team_members.user_id', 'team_members.role', 'users.username'])
      .orderBy('users.username')
      .execute();
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      managedBy: t.managed_by,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
      members: members
        .filter((m) => m.team_id === t.id)
        .map((m) => ({ userId: m.user_id, username: m.username, role: m.role as Role })),
    }));
  },
  async byId(ex: Kysely<DB>, id: string): Promise<TeamRecord | null> {
    return (await teamRepo.list(ex)).find((t) => t.id === id) ?? null;
  },
  async byName(ex: Kysely<DB>, name: string): Promise<TeamRecord | null> {
    return (await teamRepo.list(ex)).find((t) => t.name === name) ?? null;
  },
  async insert(ex: Kysely<DB>, t: Omit<TeamRecord, 'members'>): Promise<void> {
    await ex
      .insertInto('teams')
      .values({
        id: t.id,
        name: t.name,
        description: t.description,
        managed_by: t.managedBy,
        created_at: t.createdAt,
        updated_at: t.updatedAt,
      })
      .execute();
  },
  async update(
    ex: Kysely<DB>,
    id: string,
    patch: { name?: string; description?: string; managedBy?: string | null },
    now: number,
  ): Promise<void> {
    await ex
      .updateTable('teams')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.managedBy !== undefined ? { managed_by: patch.managedBy } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  },
  async remove(ex: Kysely<DB>, id: string): Promise<void> {
    await ex.deleteFrom('team_members').where('team_id', '=', id).execute();
    await ex.deleteFrom('teams').where('id', '=', id).execute();
  },
  /** Replaces the whole member list. */
  async setMembers(ex: Kysely<DB>, teamId: string, members: { userId: string; role: Role }[]): Promise<void> {
    await ex.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    if (members.length)
      await ex
        .insertInto('team_members')
        .values(members.map((m) => ({ team_id: teamId, user_id: m.userId, role: m.role })))
        .execute();
  },
};
