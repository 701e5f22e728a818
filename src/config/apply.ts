import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { Actor } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { teamRepo } from '../auth/team.repo.js';
import { userRepo } from '../auth/user.repo.js';
import { serviceRepo } from '../catalog/service.repo.js';
import { maintenanceRepo, sameSchedule } from '../alerts/maintenance.repo.js';
import type { MaintenanceWindow } from '../alerts/maintenance.js';
import { sameMatchers } from '../alerts/silence.js';
import type { Config } from './model.js';

export interface ApplyResult {
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  warnings: string[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes the database match the objects the file declares, in one transaction: declared objects are
 * created or updated and marked `managed_by = <file>`; objects the file managed before but no longer
 * declares are removed. Objects made through the UI or API are left alone unless the file declares
 * one of the same name, which the file then takes over (reported as a warning).
 */
export async function applyDeclared(
  db: Kysely<DB>,
  clock: Clock,
  ids: Ids,
  actor: Actor,
  config: Pick<Config, 'teams' | 'services' | 'maintenanceWindows' | 'source'>,
): Promise<ApplyResult> {
  const owner = config.source.path ?? 'config';
  const r: ApplyResult = { created: [], updated: [], removed: [], unchanged: 0, warnings: [] };
  await db.transaction().execute(async (trx) => {
    const now = clock.now();
    const teams = await teamRepo.list(trx);
    for (const decl of config.teams) {
      let t = teams.find((x) => x.name === decl.name);
      if (!t) {
        const id = ids.uuid();
        await teamRepo.insert(trx, {
          id,
          name: decl.name,
          description: decl.description,
          managedBy: owner,
          createdAt: now,
          updatedAt: now,
        });
        r.created.push(`team ${decl.name}`);
        t = (await teamRepo.byId(trx, id)) ?? undefined;
      } else if (t.description !== decl.description || t.managedBy !== owner) {
        if (t.managedBy === null)
          r.warnings.push(`team ${decl.name} existed already and is now managed by ${owner}`);
        await teamRepo.update(trx, t.id, { description: decl.description, managedBy: owner }, now);
        r.updated.push(`team ${decl.name}`);
      } else r.unchanged += 1;
      if (!t) continue;
      const members: { userId: string; role: (typeof decl.members)[number]['role'] }[] = [];
      for (const m of decl.members) {
        const u = await userRepo.byUsername(trx, m.user);
        if (u) members.push({ userId: u.id, role: m.role });
        else
          r.warnings.push(
            `team ${decl.name}: no user named "${m.user}" yet; the membership applies once the user exists and the config is reloaded`,
          );
      }
      const current = t.members
        .map((m) => ({ userId: m.userId, role: m.role }))
        .sort((a, b) => a.userId.localeCompare(b.userId));
      const wanted = [...members].sort((a, b) => a.userId.localeCompare(b.userId));
      if (!same(current, wanted)) {
        await teamRepo.setMembers(trx, t.id, members);
        if (!r.created.includes(`team ${decl.name}`) && !r.updated.includes(`team ${decl.name}`)) {
          r.updated.push(`team ${decl.name}`);
          r.unchanged -= 1;
        }
      }
    }

    const allTeams = await teamRepo.list(trx);
    const services = await serviceRepo.list(trx);
    for (const decl of config.services) {
      const team = decl.team ? allTeams.find((t) => t.name === decl.team) : undefined;
      if (decl.team && !team)
        r.warnings.push(`service ${decl.name}: team "${decl.team}" does not exist; left without a team`);
      const existing = services.find((s) => s.name === decl.name);
      const row = {
        id: existing?.id ?? ids.uuid(),
        name: decl.name,
        description: decl.description,
        teamId: team?.id ?? null,
        tier: decl.tier,
        runbookUrl: decl.runbookUrl,
        labels: decl.labels,
        managedBy: owner,
      };
      if (!existing) {
        await serviceRepo.insert(trx, row, now);
        r.created.push(`service ${decl.name}`);
      } else if (
        !same(
          { ...row },
          {
            id: existing.id,
            name: existing.name,
            description: existing.description,
            teamId: existing.teamId,
            tier: existing.tier,
            runbookUrl: existing.runbookUrl,
            labels: existing.labels,
            managedBy: existing.managedBy,
          },
        )
      ) {
        if (existing.managedBy === null)
          r.warnings.push(`service ${decl.name} existed already and is now managed by ${owner}`);
        await serviceRepo.update(trx, row, now);
        r.updated.push(`service ${decl.name}`);
      } else r.unchanged += 1;
    }

    // Maintenance windows, found by name (unique in the table and in the file).
    const windows = await maintenanceRepo.list(trx);
    for (const decl of config.maintenanceWindows) {
      const existing = windows.find((w) => w.name === decl.name);
      const label = `maintenance window ${decl.name}`;
      if (!existing) {
        const w: MaintenanceWindow = {
          ...decl,
          id: ids.uuid(),
          createdBy: actor.name,
          source: 'config',
          managedBy: owner,
          createdAt: now,
          updatedAt: now,
        };
        await maintenanceRepo.insert(trx, w);
        r.created.push(label);
      } else if (
        existing.managedBy !== owner ||
        !sameMatchers(existing.matchers, decl.matchers) ||
        !sameSchedule(existing.schedule, decl.schedule) ||
        existing.timeZone !== decl.timeZone ||
        existing.mode !== decl.mode ||
        existing.comment !== decl.comment
      ) {
        if (existing.managedBy === null)
          r.warnings.push(`${label} existed already and is now managed by ${owner}`);
        await maintenanceRepo.update(trx, {
          ...existing,
          ...decl,
          source: 'config',
          managedBy: owner,
          updatedAt: now,
        });
        r.updated.push(label);
      } else r.unchanged += 1;
    }
    for (const w of windows)
      if (w.managedBy !== null && !config.maintenanceWindows.some((d) => d.name === w.name)) {
        await maintenanceRepo.remove(trx, w.id);
        r.removed.push(`maintenance window ${w.name}`);
      }

    // Removal last, so a service moving to a renamed team is not briefly orphaned.
    for (const s of services)
      if (s.managedBy !== null && !config.services.some((d) => d.name === s.name)) {
        await serviceRepo.remove(trx, s.id);
        r.removed.push(`service ${s.name}`);
      }
    for (const t of teams)
      if (t.managedBy !== null && !config.teams.some((d) => d.name === t.name)) {
        await teamRepo.remove(trx, t.id);
        r.removed.push(`team ${t.name}`);
      }

    if (r.created.length || r.updated.length || r.removed.length)
      await audit(trx, clock, actor, 'config.apply', { type: 'config', id: owner }, null, {
        created: r.created,
        updated: r.updated,
        removed: r.removed,
      });
  });
  return r;
}
