// The durable outbox: a notification is written in the same transaction as the group flush that
// produced it, then claimed with a lease, delivered, and either marked delivered, retried with
// backoff, or marked failed. A process killed mid-delivery leaves the lease to expire and another
// pass (or instance) delivers it again: at least once, never lost.
import type { Kysely, Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { DB, NotificationsTable } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { ReceiverConfig } from '../config/model.js';
import type { HttpClient } from './http-client.js';
import type { NotificationContent } from './payload.js';
import { buildWebhookPayload } from './payload.js';
import { sendWebhook } from './webhook.channel.js';
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
  /** Which of the receiver's channels: `webhook/0`, `webhook/1`, … */
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
  async enqueue(ex: Kysely<DB>, items: NewNotification[], now: number): Promise<void> {
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
          next_attempt_at: now,
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

export interface OutboxOptions {
  db: Kysely<DB>;
  clock: Clock;
  client: HttpClient;
  receivers: readonly ReceiverConfig[];
  details: AlertDetails;
  logger: Logger;
  version: string;
  leaseMs?: number;
  maxAttempts?: number;
  /** Random source for backoff jitter (injected so tests are repeatable). */
  random?: () => number;
}

/** Exponential backoff from 1 s, capped at 5 min, with ±20 % jitter. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(1000 * 2 ** Math.max(attempt - 1, 0), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

const skipped = (message: string): DeliveryOutcome => ({
  ok: true,
  retryable: false,
  status: null,
  providerCode: null,
  message,
  durationMs: 0,
});

/** Delivers what the outbox holds; `wake()` after enqueueing, and it reschedules itself for retries. */
export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  /** Timers and wake-ups run only between start() and stop(); drain() can always be called. */
  private started = false;
  private stopped = false;
  /** The configured receivers; a reload replaces them (`setReceivers`). */
  private receivers: readonly ReceiverConfig[];

  /** A reloaded configuration's receivers: pending notifications are delivered with these. */
  setReceivers(receivers: readonly ReceiverConfig[]): void {
    this.receivers = receivers;
  }

  constructor(private readonly o: OutboxOptions) {
    this.receivers = o.receivers;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.maxAttempts = o.maxAttempts ?? 10;
    this.random = o.random ?? Math.random;
  }

  start(): void {
    this.started = true;
    this.wake();
  }

  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e: unknown) => this.o.logger.error({ err: e }, 'outbox delivery pass failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else void this.schedule();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async schedule(): Promise<void> {
    if (!this.started || this.stopped) return;
    const at = await outboxRepo.nextDue(this.o.db).catch(() => null);
    if (this.timer) clearTimeout(this.timer);
    if (at === null || this.stopped) return;
    this.timer = setTimeout(() => this.wake(), Math.max(at - this.o.clock.now(), 0));
    this.timer.unref();
  }

  /** Delivers everything due now (the timer calls this; tests call it directly). */
  async drain(): Promise<void> {
    for (;;) {
      const batch = await outboxRepo.claim(this.o.db, this.o.clock.now(), this.leaseMs, 50);
      if (batch.length === 0) return;
      await Promise.all((await this.current(batch)).map((n) => this.deliver(n)));
    }
  }

  /**
   * Drops the notifications a newer one of the same group and channel covers (it lists all their
   * alerts): a receiver that fell behind, or a group that flushes faster than it is delivered (an
   * alert storm with a short group_interval), gets the group's latest state once instead of every
   * outdated one in turn. Alertmanager never builds those: it flushes a group again only after its
   * last notification finished. A notification that lists an alert the newer one no longer does (a
   * resolved alert that left the group) is still sent.
   */
  private async current(batch: NotificationRow[]): Promise<NotificationRow[]> {
    const keep: NotificationRow[] = [];
    for (const n of batch) {
      const by = await outboxRepo.newerCovering(this.o.db, n);
      if (by === null) keep.push(n);
      else await outboxRepo.markSuperseded(this.o.db, n.id, by, this.o.clock.now());
    }
    return keep;
  }

  private async deliver(n: NotificationRow): Promise<void> {
    const outcome = await this.attempt(n);
    const now = this.o.clock.now();
    const attempts = n.attempts + 1;
    const next = outcome.ok
      ? { status: 'delivered' as const, nextAttemptAt: now }
      : outcome.retryable && attempts < this.maxAttempts
        ? { status: 'pending' as const, nextAttemptAt: now + backoffMs(attempts, this.random) }
        : { status: 'failed' as const, nextAttemptAt: now };
    await outboxRepo.record(this.o.db, n, outcome, now, next);
    const log = {
      notification: n.id,
      receiver: n.receiver,
      integration: n.integration,
      attempt: attempts,
      status: outcome.status,
    };
    if (!outcome.ok)
      this.o.logger.warn({ ...log, next: next.status }, `notification delivery failed: ${outcome.message}`);
  }

  private async expand(c: StoredContent): Promise<NotificationContent> {
    const details = await this.o.details(c.alerts.map((a) => a.fingerprint));
    return {
      ...c,
      alerts: c.alerts.map((a) => {
        const d = details.get(a.fingerprint);
        return {
          ...a,
          labels: d?.labels ?? {},
          annotations: d?.annotations ?? {},
          generatorUrl: d?.generatorUrl ?? '',
        };
      }),
    };
  }

  private async attempt(n: NotificationRow): Promise<DeliveryOutcome> {
    const receiver = this.receivers.find((r) => r.name === n.receiver);
    const [kind, index] = n.integration.split('/');
    if (!receiver) return { ...skipped(`receiver "${n.receiver}" is no longer configured`), ok: false };
    if (kind === 'webhook') {
      const cfg = receiver.webhookConfigs[Number(index)];
      if (!cfg) return { ...skipped(`${n.integration} is no longer configured on ${n.receiver}`), ok: false };
      const refs = cfg.sendResolved
        ? n.content.alerts
        : n.content.alerts.filter((a) => a.status === 'firing');
      if (refs.length === 0)
        return skipped('nothing to send: only resolved alerts and send_resolved is false');
      const content = await this.expand({ ...n.content, alerts: refs });
      const payload = buildWebhookPayload(content, { maxAlerts: cfg.maxAlerts });
      const h = cfg.httpConfig;
      return sendWebhook(
        this.o.client,
        {
          url: cfg.url,
          version: this.o.version,
          ...(h.bearerToken ? { bearerToken: h.bearerToken } : {}),
          ...(h.basicAuth ? { basicAuth: h.basicAuth } : {}),
          ...(cfg.timeoutMs ? { timeoutMs: cfg.timeoutMs } : {}),
        },
        payload,
        this.o.clock.now(),
      );
    }
    return { ...skipped(`channel kind ${kind ?? '?'} is not delivered by this version`), ok: false };
  }
}
