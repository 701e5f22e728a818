import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Actor } from './model.js';
import { requirePermission } from './model.js';
import { auditRepo } from './audit.repo.js';
import type { AuditEntry, AuditQuery } from './audit.repo.js';

/**
 * Appends one audit entry in the caller's transaction, so the entry exists exactly when the
 * change does. `before`/`after` must already be free of secrets.
 */
export async function audit(
  ex: Kysely<DB>,
  clock: Clock,
  actor: Actor,
  action: string,
  target: { type: string; id: string | null },
  before: unknown,
  after: unknown,
): Promise<void> {
  await auditRepo.append(ex, {
    at: clock.now(),
    actor: { type: actor.type, id: actor.type === 'token' ? actor.id : actor.userId, name: actor.name },
    action,
    targetType: target.type,
    targetId: target.id,
    before: before ?? null,
    after: after ?? null,
    sourceIp: actor.ip,
  });
}

export class AuditService {
  constructor(private readonly d: { db: Kysely<DB> }) {}

  /** Admins read the audit log, newest first, a page at a time. */
  async list(actor: Actor, q: AuditQuery): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
    requirePermission(actor, 'admin');
    const limit = Math.min(Math.max(q.limit, 1), 500);
    const items = await auditRepo.list(this.d.db, { ...q, limit });
    return { items, nextBefore: items.length === limit ? (items.at(-1)?.id ?? null) : null };
  }
}
