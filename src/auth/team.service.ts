import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { DomainError, notFound } from '../kernel/errors.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { Actor, Role } from './model.js';
import { allows, requirePermission } from './model.js';
import { teamRepo } from './team.repo.js';
import type { TeamRecord } from './team.repo.js';
import { userRepo } from './user.repo.js';
import { audit } from './audit.js';

export interface TeamDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
}

/** Refuses API/UI edits of objects the configuration file owns, naming the file to edit instead. */
export function assertNotManaged(kind: string, name: string, managedBy: string | null): void {
  if (managedBy)
    throw new DomainError(
      'conflict',
      `${kind} "${name}" is managed by the configuration file ${managedBy}: change it there and reload (watchpost config apply, POST /api/v1/config/reload, or SIGHUP)`,
    );
}

export class TeamService {
  constructor(private readonly d: TeamDeps) {}

  async list(actor: Actor): Promise<TeamRecord[]> {
    requirePermission(actor, 'read');
    return teamRepo.list(this.d.db);
  }

  async get(actor: Actor, id: string): Promise<TeamRecord> {
    requirePermission(actor, 'read');
    const t = await teamRepo.byId(this.d.db, id);
    if (!t) throw notFound('team', id);
    return t;
  }

  async create(actor: Actor, input: { name: string; description?: string | undefined }): Promise<TeamRecord> {
    requirePermission(actor, 'admin');
    const now = this.d.clock.now();
    const id = this.d.ids.uuid();
    try {
      return await this.d.db.transaction().execute(async (trx) => {
        await teamRepo.insert(trx, {
          id,
          name: input.name,
          description: input.description ?? '',
          managedBy: null,
          createdAt: now,
          updatedAt: now,
        });
        const t = (await teamRepo.byId(trx, id)) as TeamRecord;
        await audit(trx, this.d.clock, actor, 'team.create', { type: 'team', id }, null, t);
        return t;
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('conflict', `a team named "${input.name}" already exists`, {
          details: [{ path: '/name', message: 'already taken' }],
        });
      throw e;
    }
  }

  /** Admins, and admins of the team itself, may change it. */
  private async editable(actor: Actor, ex: Kysely<DB>, id: string): Promise<TeamRecord> {
    const t = await teamRepo.byId(ex, id);
    if (!t) throw notFound('team', id);
    const teamAdmin = t.members.some((m) => m.userId === actor.userId && m.role === 'admin');
    if (!(teamAdmin && allows(actor, 'write'))) requirePermission(actor, 'admin');
    assertNotManaged('team', t.name, t.managedBy);
    return t;
  }

  async update(actor: Actor, id: string, patch: { description?: string | undefined }): Promise<TeamRecord> {
    return this.d.db.transaction().execute(async (trx) => {
      const before = await this.editable(actor, trx, id);
      await teamRepo.update(trx, id, { description: patch.description }, this.d.clock.now());
      const after = (await teamRepo.byId(trx, id)) as TeamRecord;
      await audit(trx, this.d.clock, actor, 'team.update', { type: 'team', id }, before, after);
      return after;
    });
  }

  async setMembers(
    actor: Actor,
    id: string,
    members: { username: string; role: Role }[],
  ): Promise<TeamRecord> {
    return this.d.db.transaction().execute(async (trx) => {
      const before = await this.editable(actor, trx, id);
      const resolved: { userId: string; role: Role }[] = [];
      const problems: { path: string; message: string }[] = [];
      for (const [i, m] of members.entries()) {
        const u = await userRepo.byUsername(trx, m.username);
        if (!u) problems.push({ path: `/members/${i}/username`, message: `no user named "${m.username}"` });
        else if (resolved.some((r) => r.userId === u.id))
          problems.push({ path: `/members/${i}/username`, message: 'listed twice' });
        else resolved.push({ userId: u.id, role: m.role });
      }
      if (problems.length)
        throw new DomainError('invalid', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
          details: problems,
        });
      await teamRepo.setMembers(trx, id, resolved);
      const after = (await teamRepo.byId(trx, id)) as TeamRecord;
      await audit(
        trx,
        this.d.clock,
        actor,
        'team.members',
        { type: 'team', id },
        before.members,
        after.members,
      );
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'admin');
    await this.d.db.transaction().execute(async (trx) => {
      const before = await teamRepo.byId(trx, id);
      if (!before) throw notFound('team', id);
      assertNotManaged('team', before.name, before.managedBy);
      await teamRepo.remove(trx, id);
      await audit(trx, this.d.clock, actor, 'team.delete', { type: 'team', id }, before, null);
    });
  }
}
