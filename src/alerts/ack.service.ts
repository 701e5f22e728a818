// Acknowledging an alert group: "I am on it". It records who and when, and the alerts firing at
// that moment; while no other alert fires in the group its repeat notifications stop (group-timer.ts
// `decideFlush`), and news still goes out. Incidents and escalation (a later part of Watchpost) build
// on it. Every acknowledgement is audited.
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { actorUserName } from '../auth/actor-name.js';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import { DomainError } from '../kernel/errors.js';
import { groupRepo, type GroupAck } from './group.repo.js';
import { statusAt } from './model.js';

export class AckService {
  constructor(private readonly d: { db: Kysely<DB>; clock: Clock }) {}

  /**
   * Acknowledges the group `groupKey` as `by` (default: the actor's user name). Throws `not_found`
   * when the group no longer exists (everything in it resolved and was told).
   */
  async acknowledge(actor: Actor, groupKey: string, by?: string): Promise<GroupAck & { groupKey: string }> {
    requirePermission(actor, 'respond');
    const now = this.d.clock.now();
    const name = by ?? ((await actorUserName(this.d.db, actor)) || actor.name);
    const ack = await this.d.db.transaction().execute(async (trx) => {
      const members = await groupRepo.memberStates(trx, groupKey);
      const firing = members.filter((m) => statusAt(m, now) === 'firing').map((m) => m.fingerprint);
      const a: GroupAck = { by: name, at: now, firing };
      if (!(await groupRepo.acknowledge(trx, groupKey, a)))
        throw new DomainError(
          'not_found',
          'this alert group no longer exists: its alerts resolved, so there is nothing to acknowledge',
        );
      await audit(
        trx,
        this.d.clock,
        actor,
        'alert_group.acknowledge',
        { type: 'alert_group', id: groupKey },
        null,
        a,
      );
      return a;
    });
    return { ...ack, groupKey };
  }
}
