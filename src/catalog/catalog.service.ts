import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { DomainError, notFound } from '../kernel/errors.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { assertNotManaged } from '../auth/team.service.js';
import { teamRepo } from '../auth/team.repo.js';
import { serviceRepo } from './service.repo.js';
import type { ServiceRecord, Tier } from './service.repo.js';

export interface ServiceInput {
  name: string;
  description?: string | undefined;
  team?: string | null | undefined;
  tier?: Tier | null | undefined;
  runbookUrl?: string | null | undefined;
  labels?: Record<string, string> | undefined;
}

export interface CatalogDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
}

/** The catalogue of monitored services (ERP, OMS, WMS, marketplace connectors). */
export class CatalogService {
  constructor(private readonly d: CatalogDeps) {}

  async list(actor: Actor): Promise<ServiceRecord[]> {
    requirePermission(actor, 'read');
    return serviceRepo.list(this.d.db);
  }

  async get(actor: Actor, id: string): Promise<ServiceRecord> {
    requirePermission(actor, 'read');
    const s = await serviceRepo.byId(this.d.db, id);
    if (!s) throw notFound('service', id);
    return s;
  }

  private async teamId(ex: Kysely<DB>, team: string | null | undefined): Promise<string | null> {
    if (!team) return null;
    const t = await teamRepo.byName(ex, team);
    if (!t)
      throw new DomainError('invalid', `team "${team}" does not exist: create it first or leave team empty`, {
        details: [{ path: '/team', message: `no team named "${team}"` }],
      });
    return t.id;
  }

  async create(actor: Actor, input: ServiceInput): Promise<ServiceRecord> {
    requirePermission(actor, 'write');
    return this.write(input.name, async (trx) => {
      const id = this.d.ids.uuid();
      await serviceRepo.insert(
        trx,
        {
          id,
          name: input.name,
          description: input.description ?? '',
          teamId: await this.teamId(trx, input.team),
          tier: input.tier ?? null,
          runbookUrl: input.runbookUrl ?? null,
          labels: input.labels ?? {},
          managedBy: null,
        },
        this.d.clock.now(),
      );
      const after = (await serviceRepo.byId(trx, id)) as ServiceRecord;
      await audit(trx, this.d.clock, actor, 'service.create', { type: 'service', id }, null, after);
      return after;
    });
  }

  /** Replaces the service's fields with `input` (fields left out keep their value). */
  async update(actor: Actor, id: string, input: Partial<ServiceInput>): Promise<ServiceRecord> {
    requirePermission(actor, 'write');
    return this.write(input.name ?? '', async (trx) => {
      const before = await serviceRepo.byId(trx, id);
      if (!before) throw notFound('service', id);
      assertNotManaged('service', before.name, before.managedBy);
      await serviceRepo.update(
        trx,
        {
          id,
          name: input.name ?? before.name,
          description: input.description ?? before.description,
          teamId: input.team !== undefined ? await this.teamId(trx, input.team) : before.teamId,
          tier: input.tier !== undefined ? input.tier : before.tier,
          runbookUrl: input.runbookUrl !== undefined ? input.runbookUrl : before.runbookUrl,
          labels: input.labels ?? before.labels,
          managedBy: null,
        },
        this.d.clock.now(),
      );
      const after = (await serviceRepo.byId(trx, id)) as ServiceRecord;
      await audit(trx, this.d.clock, actor, 'service.update', { type: 'service', id }, before, after);
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'write');
    await this.d.db.transaction().execute(async (trx) => {
      const before = await serviceRepo.byId(trx, id);
      if (!before) throw notFound('service', id);
      assertNotManaged('service', before.name, before.managedBy);
      await serviceRepo.remove(trx, id);
      await audit(trx, this.d.clock, actor, 'service.delete', { type: 'service', id }, before, null);
    });
  }

  private async write<T>(name: string, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    try {
      return await this.d.db.transaction().execute(fn);
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('conflict', `a service named "${name}" already exists`, {
          details: [{ path: '/name', message: 'already taken' }],
        });
      throw e;
    }
  }
}
