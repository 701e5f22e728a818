import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ActorType } from './model.js';

export interface AuditEntry {
  id: number;
  at: number;
  actor: { type: ActorType; id: string | null; name: string };
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  sourceIp: string | null;
}

export interface AuditQuery {
  limit: number;
  /** Only entries with a smaller id (the page before). */
  before?: number | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));

export const auditRepo = {
  async append(ex: Kysely<DB>, e: Omit<AuditEntry, 'id'>): Promise<void> {
    await ex
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        before_json: e.before === null || e.before === undefined ? null : JSON.stringify(e.before),
        after_json: e.after === null || e.after === undefined ? null : JSON.stringify(e.after),
        source_ip: e.sourceIp,
      })
      .execute();
  },
  /** Newest first. */
  async list(ex: Kysely<DB>, q: AuditQuery): Promise<AuditEntry[]> {
    let s = ex.selectFrom('audit_log').selectAll();
    if (q.before !== undefined) s = s.where('id', '<', q.before);
    if (q.actor) s = s.where('actor_name', '=', q.actor);
    if (q.action) s = s.where('action', '=', q.action);
    if (q.targetType) s = s.where('target_type', '=', q.targetType);
    if (q.targetId) s = s.where('target_id', '=', q.targetId);
    if (q.from !== undefined) s = s.where('at', '>=', q.from);
    if (q.to !== undefined) s = s.where('at', '<', q.to);
    const rows = await s.orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: { type: r.actor_type as ActorType, id: r.actor_id, name: r.actor_name },
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      before: parse(r.before_json),
      after: parse(r.after_json),
      sourceIp: r.source_ip,
    }));
  },
};
