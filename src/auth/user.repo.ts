import type { Kysely, Selectable } from 'kysely';
import type { DB, UsersTable } from '../db/schema.js';
import type { Role } from './model.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const userRepo = {
  async count(ex: Kysely<DB>): Promise<number> {
    const r = await ex
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async insert(ex: Kysely<DB>, u: UserRecord, passwordHash: string): Promise<void> {
    await ex
      .insertInto('users')
      .values({
        id: u.id,
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        disabled: u.disabled ? 1 : 0,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
      })
      .execute();
  },
  async byId(ex: Kysely<DB>, id: string): Promise<UserRecord | null> {
    const r = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  },
  /** Usernames are matched case-insensitively, as people type them. */
  async byUsername(
    ex: Kysely<DB>,
    username: string,
  ): Promise<(UserRecord & { passwordHash: string }) | null> {
    const r = await ex
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
    return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
  },
  async list(ex: Kysely<DB>): Promise<UserRecord[]> {
    const rows = await ex.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  },
  async update(
    ex: Kysely<DB>,
    id: string,
    patch: { displayName?: string; role?: Role; disabled?: boolean; passwordHash?: string },
    now: number,
  ): Promise<void> {
    await ex
      .updateTable('users')
      .set({
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
        ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  },
  async remove(ex: Kysely<DB>, id: string): Promise<void> {
    await ex.deleteFrom('users').where('id', '=', id).execute();
  },
  async countAdmins(ex: Kysely<DB>): Promise<number> {
    const r = await ex
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
