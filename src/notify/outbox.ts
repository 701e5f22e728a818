// The durable outbox: a notification is written in the same transaction as the group flush that
// produced it, then claimed with a lease, delivered, and either marked delivered, retried with
// backoff, or marked failed. A process killed mid-delivery leaves the lease to expire and another
// pass (or instance) delivers it again: at least once, never lost. This file is the outbox's tables;
// the delivery engine that works it is delivery/engine.ts.
import type { Kysely, Selectable } from 'kysely';
import type { DB, NotificationsTable } from '../db/schema.js';
import type { DeliveryOutcome } from './webhook.channel.js';

/** One alert as the flush saw it; its labels and annotations are read back at delivery. */
export interface AlertRef {
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | null;
  /** Flapping: counted as firing until it settles. */
  flapping?: true;
}

/**
 * What a notification says, stored compactly: the group and the state of each alert at the flush.
 * Labels never change for a fingerprint, so they are not copied into every notification.
 */
export interface StoredContent {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  externalUrl: string;
  /** The route's `storm.max_alerts_listed`: a notification lists this many alerts, then summarises. */
  maxAlertsListed?: number;
  alerts: AlertRef[];
}

export interface NewNotification {
  id: string;
  groupKey: string;
  receiver: string;
  /** Which of the receiver's channels: `dingtalk/0`, `webhook/1`, … (ChannelDecl.id) */
  integration: string;
  content: StoredContent;
}

/** Reads labels, annotations and generator URL of alerts by fingerprint (the alert store). */
export type AlertDetails = (
  fingerprints: string[],
) => Promise<
  Map<string, { labels: Record<string, string>; annotations: Record<string, string>; generatorUrl: string }>
>;

export interface NotificationRow extends NewNotification {
  /** `superseded`: not sent, because a newer notification of its group said all it would (see drain). */
  status: 'pending' | 'delivered' | 'failed' | 'superseded';
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
}

const toRow = (r: Selectable<NotificationsTable>): NotificationRow => ({
  id: r.id,
  groupKey: r.group_key,
  receiver: r.receiver,
  integration: r.integration,
  content: JSON.parse(r.content) as StoredContent,
  status: r.status as NotificationRow['status'],
  attempts: r.attempts,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
});

export const outboxRepo = {
  /** Writes notifications created `now`; the engine takes them from `nextAttemptAt` (later: claimed already). */
  async enqueue(ex: Kysely<DB>, items: NewNotification[], now: number, nextAttemptAt = now): Promise<void> {
    if (items.length === 0) return;
    await ex
      .insertInto('notifications')
      .values(
        items.map((n) => ({
          id: n.id,
          group_key: n.groupKey,
          receiver: n.receiver,
          integration: n.integration,
          content: JSON.stringify(n.content),
          created_at: now,
          status: 'pending',
          attempts: 0,
          next_attempt_at: nextAttemptAt,
        })),
      )
      .execute();
  },

  /**
   * Claims due notifications by pushing their next attempt `leaseMs` ahead. The outer condition is
   * re-checked on each row after a concurrent claim, so two instances never claim the same one.
   */
  async claim(ex: Kysely<DB>, now: number, leaseMs: number, limit: number): Promise<NotificationRow[]> {
    const rows = await ex
      .updateTable('notifications')
      .set({ next_attempt_at: now + leaseMs })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notifications')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit),
      )
      .returningAll()
      .execute();
    return rows.map(toRow);
  },

  async record(
    ex: Kysely<DB>,
    n: NotificationRow,
    outcome: DeliveryOutcome,
    now: number,
    next: { status: 'delivered' | 'failed' | 'pending'; nextAttemptAt: number },
    where: { destination: string | null; merged: number } = { destination: null, merged: 1 },
  ): Promise<void> {
    await ex
      .insertInto('delivery_attempts')
      .values({
        notification_id: n.id,
        at: now,
        ok: outcome.ok ? 1 : 0,
        status: outcome.status,
        message: outcome.message,
        duration_ms: Math.round(outcome.durationMs),
        receiver: n.receiver,
        channel: n.integration,
        destination: where.destination,
        provider_code: outcome.providerCode,
        merged: where.merged,
      })
      .execute();
    await ex
      .updateTable('notifications')
      .set({
        status: next.status,
        attempts: n.attempts + 1,
        next_attempt_at: next.nextAttemptAt,
        delivered_at: next.status === 'delivered' ? now : null,
        last_error: outcome.ok ? null : outcome.message,
      })
      .where('id', '=', n.id)
      .execute();
  },

  /**
   * The newest pending notification of the same group and channel created after `n`, when it lists
   * every alert `n` lists: it then tells the receiver everything `n` would, in a newer state.
   */
  async newerCovering(ex: Kysely<DB>, n: NotificationRow): Promise<string | null> {
    const newer = await ex
      .selectFrom('notifications')
      .select(['id', 'content'])
      .where('group_key', '=', n.groupKey)
      .where('integration', '=', n.integration)
      .where('status', '=', 'pending')
      .where('created_at', '>', n.createdAt)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!newer) return null;
    const listed = new Set((JSON.parse(newer.content) as StoredContent).alerts.map((a) => a.fingerprint));
    return n.content.alerts.every((a) => listed.has(a.fingerprint)) ? newer.id : null;
  },

  /**
   * When the oldest notification of the group still undelivered was written, among those written
   * after `since`; null when there is none. The dispatcher holds the group's next flush meanwhile.
   */
  async oldestPending(ex: Kysely<DB>, groupKey: string, since: number): Promise<number | null> {
    const r = await ex
      .selectFrom('notifications')
      .select((eb) => eb.fn.min('created_at').as('at'))
      .where('group_key', '=', groupKey)
      .where('created_at', '>', since)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  },

  /** Puts claimed notifications back, untried, until `at` (their destination's limit is reached). */
  async defer(ex: Kysely<DB>, ids: string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    await ex
      .updateTable('notifications')
      .set({ next_attempt_at: at })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
  },

  /**
   * When messages went to `destination` since `since`, so rate windows survive a restart. A digest
   * logs one row per notification it carried, all at the same time: one message.
   */
  async sentTo(ex: Kysely<DB>, destination: string, since: number): Promise<number[]> {
    const rows = await ex
      .selectFrom('delivery_attempts')
      .select('at')
      .distinct()
      .where('destination', '=', destination)
      .where('at', '>', since)
      .orderBy('at')
      .execute();
    return rows.map((r) => Number(r.at));
  },

  async markSuperseded(ex: Kysely<DB>, id: string, by: string, now: number): Promise<void> {
    await ex
      .updateTable('notifications')
      .set({ status: 'superseded', next_attempt_at: now, last_error: `not sent: superseded by ${by}` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  },

  async nextDue(ex: Kysely<DB>): Promise<number | null> {
    const r = await ex
      .selectFrom('notifications')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return r?.at === null || r?.at === undefined ? null : Number(r.at);
  },
};
