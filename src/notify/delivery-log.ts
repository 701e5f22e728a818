// The delivery log: every attempt at a notification (and every test message), newest first, with
// filters by receiver, channel, outcome and alert. Messages were redacted before they were stored.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface DeliveryRecord {
  id: number;
  at: number;
  notificationId: string;
  receiver: string | null;
  channel: string | null;
  destination: string | null;
  ok: boolean;
  status: number | null;
  providerCode: string | null;
  message: string;
  durationMs: number;
  /** Notifications this attempt carried (more than one: a digest). */
  merged: number;
  /** Null for a test message. */
  groupKey: string | null;
  alertCount: number | null;
}

export interface DeliveryQuery {
  receiver?: string | undefined;
  channel?: string | undefined;
  outcome?: 'ok' | 'failed' | undefined;
  /** Attempts of notifications that listed this alert. */
  fingerprint?: string | undefined;
  /** Older than this attempt id (paging). */
  before?: number | undefined;
  limit: number;
}

/** Test messages are logged under notification ids with this prefix. */
export const TEST_PREFIX = 'test:';

export const deliveryLog = {
  async list(db: Kysely<DB>, q: DeliveryQuery): Promise<DeliveryRecord[]> {
    let query = db
      .selectFrom('delivery_attempts as a')
      .leftJoin('notifications as n', 'n.id', 'a.notification_id')
      .select([
        'a.id',
        'a.at',
        'a.notification_id',
        'a.ok',
        'a.status',
        'a.message',
        'a.duration_ms',
        'a.destination',
        'a.provider_code',
        'a.merged',
        'n.group_key',
        'n.content',
      ])
      .select((eb) => [
        eb.fn.coalesce('a.receiver', 'n.receiver').as('receiver'),
        eb.fn.coalesce('a.channel', 'n.integration').as('channel'),
      ]);
    if (q.receiver !== undefined)
      query = query.where((eb) => eb.fn.coalesce('a.receiver', 'n.receiver'), '=', q.receiver);
    if (q.channel !== undefined)
      query = query.where((eb) => eb.fn.coalesce('a.channel', 'n.integration'), '=', q.channel);
    if (q.outcome !== undefined) query = query.where('a.ok', '=', q.outcome === 'ok' ? 1 : 0);
    if (q.before !== undefined) query = query.where('a.id', '<', q.before);
    // Fingerprints are 16 hex digits (checked by the route), so the pattern holds no wildcard.
    if (q.fingerprint !== undefined)
      query = query.where('n.content', 'like', `%"fingerprint":"${q.fingerprint}"%`);
    const rows = await query.orderBy('a.id', 'desc').limit(q.limit).execute();
    return rows.map((r) => {
      const alerts = r.content ? (JSON.parse(r.content) as { alerts: unknown[] }).alerts.length : null;
      return {
        id: Number(r.id),
        at: Number(r.at),
        notificationId: r.notification_id,
        receiver: r.receiver,
        channel: r.channel,
        destination: r.destination,
        ok: r.ok === 1,
        status: r.status,
        providerCode: r.provider_code,
        message: r.message,
        durationMs: r.duration_ms,
        merged: Number(r.merged),
        groupKey: r.group_key,
        alertCount: alerts,
      };
    });
  },

  /** Per receiver and channel since `since`: attempts that worked and that failed, and the last one's time. */
  async summary(
    db: Kysely<DB>,
    since: number,
  ): Promise<Map<string, { ok: number; failed: number; lastAt: number | null }>> {
    const rows = await db
      .selectFrom('delivery_attempts')
      .select(['receiver', 'channel', 'ok'])
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('at').as('last')])
      .where('at', '>', since)
      .where('receiver', 'is not', null)
      .groupBy(['receiver', 'channel', 'ok'])
      .execute();
    const out = new Map<string, { ok: number; failed: number; lastAt: number | null }>();
    for (const r of rows) {
      const key = `${r.receiver ?? ''}\u0000${r.channel ?? ''}`;
      const s = out.get(key) ?? { ok: 0, failed: 0, lastAt: null };
      if (r.ok === 1) s.ok += Number(r.n);
      else s.failed += Number(r.n);
      s.lastAt = Math.max(s.lastAt ?? 0, Number(r.last));
      out.set(key, s);
    }
    return out;
  },

  async recordTest(
    db: Kysely<DB>,
    r: {
      id: string;
      at: number;
      receiver: string;
      channel: string;
      destination: string;
      outcome: {
        ok: boolean;
        status: number | null;
        message: string;
        durationMs: number;
        providerCode: string | null;
      };
    },
  ): Promise<void> {
    await db
      .insertInto('delivery_attempts')
      .values({
        notification_id: `${TEST_PREFIX}${r.id}`,
        at: r.at,
        ok: r.outcome.ok ? 1 : 0,
        status: r.outcome.status,
        message: r.outcome.message,
        duration_ms: Math.round(r.outcome.durationMs),
        receiver: r.receiver,
        channel: r.channel,
        destination: r.destination,
        provider_code: r.outcome.providerCode,
      })
      .execute();
  },
};
