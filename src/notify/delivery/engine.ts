// The delivery engine: works the outbox. Each pass claims due notifications (with a lease, so a
// process killed mid-delivery leaves them to the next pass: at least once, never lost), drops those
// a newer one of the same group and channel covers, and delivers the rest destination by destination:
// - a destination with a rate limit (a DingTalk robot, a Feishu bot, SMS numbers) is sent to one
//   message after the other within its limits (delivery/limiter.ts); what the limit does not allow
//   now waits, untried, until it does. When more are queued for it than it takes now, they go as one
//   digest, so a throttled robot gets one message saying everything instead of a backlog;
// - a throttle answer closes the destination for the provider's penalty (DingTalk: 10 minutes);
// - retryable failures come back with exponential backoff and jitter, others fail at once;
// - a receiver with `policy: fallback` hands a notification to its next channel when a channel has
//   failed `fallback_after` attempts (or cannot succeed);
// - every attempt is logged (delivery_attempts) with destination, provider code and outcome, and a
//   channel that keeps failing is reported (`onChannelHealth`) so it can raise a self-alert.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ChannelDecl, ReceiverConfig } from '../../config/model.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { Pump } from '../../db/pump.js';
import type { ChannelMessage, DeliveryOutcome, SendContext } from '../channels/channel.js';
import type { HttpClient } from '../http-client.js';
import type { AlertDetails, NotificationRow } from '../outbox.js';
import { outboxRepo } from '../outbox.js';
import { DIGEST_MAX_LISTED, sampleNotification } from '../render/index.js';
import { destinationOf, digestible } from '../registry.js';
import type { AttemptDeps } from './attempt.js';
import {
  idempotencyKey,
  notSent,
  renderFor,
  sendMessage,
  sendWebhookPayload,
  unrenderedMessage,
} from './attempt.js';
import { ChannelHealth, type ChannelHealthEvent } from './health.js';
import type { DestinationLimiter } from './limiter.js';
import { Destinations } from './destinations.js';
import { recordOutcome, type Attempted } from './outcomes.js';
import type { OutboxStore } from './outbox-store.js';
import { kyselyOutbox } from './outbox-store.js';
import { sendTest, testedReceiver, type TestResult } from './test-send.js';
import { Contents } from './contents.js';
import type { Item } from './contents.js';

export interface DeliveryEngineOptions extends AttemptDeps {
  db: Kysely<DB>;
  clock: Clock;
  client: HttpClient;
  receivers: readonly ReceiverConfig[];
  details: AlertDetails;
  /** Where attempts are recorded and due times read; default: Kysely on `db` (outbox-store.ts). */
  store?: OutboxStore | undefined;
  logger: Logger;
  version: string;
  /** Where users reach Watchpost: the sample notification of a test message carries it. */
  externalUrl: string;
  /** New ids for notifications handed to a fallback channel. */
  newId: () => string;
  /** A channel started or stopped failing (raise or resolve a self-alert). */
  onChannelHealth?: (e: ChannelHealthEvent) => void;
  /**
   * Attempts on notifications of these groups ended (delivered, failed, retried later or not sent):
   * a group whose flush waits for its last notification may go on (Dispatcher.release).
   */
  onAttempted?: (groupKeys: ReadonlySet<string>) => void;
  /** Consecutive failed attempts on a channel before it counts as failing; default 3. */
  failuresBeforeUnhealthy?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Random source for backoff jitter (injected so tests are repeatable). */
  random?: () => number;
}

/**
 * Messages in flight at once to a destination without a rate limit: as many as the HTTP client keeps
 * connections to one origin (http-client.ts). The others wait unbuilt: a big group's message is
 * built (alerts read, payload rendered) only when a connection is ready for it, so a slow receiver
 * does not hold a pass's worth of built messages in memory.
 */
const IN_FLIGHT_PER_DESTINATION = 8;

/** True when no two of these notifications are of the same group and channel. */
const distinctGroups = (ns: readonly NotificationRow[]): boolean =>
  new Set(ns.map((n) => `${n.groupKey}\u0000${n.integration}`)).size === ns.length;

/** Delivers what the outbox holds; `wake()` after enqueueing, and it reschedules itself for retries. */
export class DeliveryEngine {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly pump: Pump;
  /** The configured receivers; a reload replaces them (`setReceivers`). */
  private receivers: readonly ReceiverConfig[];
  private readonly destinations: Destinations;
  private readonly health: ChannelHealth;
  private readonly store: OutboxStore;
  /** Notifications a flush of this process wrote claimed for this engine (`take`), not yet worked. */
  private fresh: NotificationRow[] = [];
  /** What notifications send, read when they are sent or ahead of a prepared flush (`expect`). */
  private readonly contents: Contents;
  private readonly destinationKeys = new WeakMap<ChannelDecl, string>();

  constructor(private readonly o: DeliveryEngineOptions) {
    this.receivers = o.receivers;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.maxAttempts = o.maxAttempts ?? 10;
    this.random = o.random ?? Math.random;
    this.destinations = new Destinations(o.db, o.clock);
    this.contents = new Contents(o.details);
    this.pump = new Pump({
      clock: o.clock,
      run: () => this.drain(),
      nextDue: () => this.store.nextDue(),
      onError: (e) => o.logger.error({ err: e }, 'outbox delivery pass failed'),
    });
    this.store = o.store ?? kyselyOutbox(o.db);
    this.health = new ChannelHealth(o.failuresBeforeUnhealthy ?? 3, (e) => o.onChannelHealth?.(e));
  }

  /** The receiver in force named `name`. */
  receiver(name: string): ReceiverConfig | undefined {
    return this.receivers.find((r) => r.name === name);
  }

  /** A reloaded configuration's receivers: pending notifications are delivered with these. */
  setReceivers(receivers: readonly ReceiverConfig[]): void {
    this.receivers = receivers;
    this.destinations.forget();
  }

  start(): void {
    this.pump.start();
  }

  /** Delivers soon: something was enqueued. */
  wake(): void {
    this.pump.wake();
  }

  /** How long notifications handed over by `take` must be claimed for when they are written. */
  get handOffLeaseMs(): number {
    return this.leaseMs;
  }

  /**
   * Takes notifications a flush has just written, claimed for `handOffLeaseMs` (see
   * `Dispatcher`): the next pass delivers them first, without claiming them again. Being the
   * newest of their groups, nothing supersedes them. An engine that stops first makes them due again
   * (`stop`); should the process die first, the claim runs out and a later pass delivers them.
   */
  take(written: readonly NotificationRow[]): void {
    this.fresh.push(...written);
    this.pump.wake();
  }

  /**
   * Notifications a flush prepared ahead of its time will hand over (`take`) if it commits
   * (alerts/flush-ahead.ts): what they send is read now, during its wait, off the path from the
   * group's time to the request. An empty list: it was rolled back.
   */
  expect(written: readonly NotificationRow[]): void {
    const items: Item[] = [];
    for (const n of written) {
      const { receiver, decl } = this.channelOf(n);
      if (receiver && decl) items.push({ n, receiver, decl });
    }
    this.contents.expect(items);
  }

  async stop(): Promise<void> {
    await this.pump.stop();
    // Handed over but not worked yet: due at once for the next process rather than after the claim.
    const left = this.fresh.splice(0);
    if (left.length)
      await outboxRepo.defer(
        this.o.db,
        left.map((n) => n.id),
        this.o.clock.now(),
      );
  }

  /** Delivers everything due now (the timer calls this; tests call it directly). */
  async drain(): Promise<void> {
    for (;;) {
      const fresh = this.fresh.splice(0);
      const batch = fresh.length
        ? fresh
        : await outboxRepo.claim(this.o.db, this.o.clock.now(), this.leaseMs, 100);
      if (batch.length === 0) return;
      const byDestination = new Map<string, Item[]>();
      for (const n of fresh.length && distinctGroups(fresh) ? fresh : await this.current(batch)) {
        const item = await this.resolve(n);
        if (!item) continue;
        const dest = this.destinationKey(item.decl);
        byDestination.set(dest, [...(byDestination.get(dest) ?? []), item]);
      }
      await Promise.all([...byDestination].map(([dest, items]) => this.deliverTo(dest, items)));
      // What was read ahead serves only the pass that takes it: one sent later reads its alerts again.
      this.contents.forget(fresh.map((n) => n.id));
      // After what a flush handed over, claim only when something else is due (a retry): asking
      // costs an indexed read, a claim an update.
      if (fresh.length && !this.fresh.length) {
        const at = await this.store.nextDue();
        if (at === null || at > this.o.clock.now()) return;
      }
    }
  }

  /** `destinationOf(decl)` (a digest), computed once per declaration of the configuration in use. */
  private destinationKey(decl: ChannelDecl): string {
    let key = this.destinationKeys.get(decl);
    if (key === undefined) {
      key = destinationOf(decl);
      this.destinationKeys.set(decl, key);
    }
    return key;
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

  /** The receiver and channel of `n`, or null after recording why it cannot be sent any more. */
  /** The receiver in force named by `n` and its channel that `n` goes through; a reload may have removed either. */
  private channelOf(n: NotificationRow): {
    receiver?: ReceiverConfig | undefined;
    decl?: ChannelDecl | undefined;
  } {
    const receiver = this.receiver(n.receiver);
    return { receiver, decl: receiver?.channels.find((c) => c.id === n.integration) };
  }

  private async resolve(n: NotificationRow): Promise<Item | null> {
    const { receiver, decl } = this.channelOf(n);
    if (receiver && decl) return { n, receiver, decl };
    const why = receiver
      ? `${n.integration} is no longer configured on ${n.receiver}`
      : `receiver "${n.receiver}" is no longer configured`;
    await this.finish([{ n, receiver: receiver ?? null, decl: null }], notSent(why), null, 1);
    return null;
  }

  private ctx(): SendContext {
    return { client: this.o.client, now: this.o.clock.now(), version: this.o.version };
  }

  /** One destination's due notifications, oldest first, within its limits. */
  private async deliverTo(dest: string, items: Item[]): Promise<void> {
    const first = items[0];
    if (!first) return;
    const limiter = await this.destinations.limiter(dest, first.decl);
    const queue = [...items].sort((a, b) => a.n.createdAt - b.n.createdAt);
    if (limiter.available(this.o.clock.now()) === Infinity) {
      // No more than IN_FLIGHT_PER_DESTINATION at once; a hand-off from a flush (one or a few) goes
      // out without the queue.
      const slot =
        queue.length <= IN_FLIGHT_PER_DESTINATION
          ? (send: () => Promise<void>) => send()
          : pLimit(IN_FLIGHT_PER_DESTINATION);
      await Promise.all(queue.map((i) => slot(() => this.deliverOne(i, dest, limiter))));
      return;
    }
    while (queue.length > 0) {
      const now = this.o.clock.now();
      const available = limiter.available(now);
      if (available === 0) {
        await outboxRepo.defer(
          this.o.db,
          queue.map((i) => i.n.id),
          limiter.nextAt(now),
        );
        return;
      }
      // A backlog (more queued than the limits take now, or what piled up during a penalty) goes as one digest.
      if (queue.length > 1 && (queue.length > available || limiter.throttled) && digestible(first.decl)) {
        await this.deliverDigest(queue, dest, limiter);
        return;
      }
      const item = queue.shift();
      if (item) await this.deliverOne(item, dest, limiter);
    }
  }

  private async deliverOne(item: Item, dest: string, limiter: DestinationLimiter): Promise<void> {
    const outcome = await this.attempt(item, limiter);
    // The bookkeeping waits a turn of the event loop (the notification stays claimed meanwhile): a
    // request that arrived with the receiver's answer is read first, so its alerts count as received
    // then. Recording an attempt is a transaction; on a process's first deliveries it took 0.5–5 ms.
    await nextTurn();
    await this.finish([item], outcome, dest, 1);
  }

  private async attempt(item: Item, limiter: DestinationLimiter): Promise<DeliveryOutcome> {
    const { decl, n } = item;
    const p = await this.contents.prepare(item);
    if ('skip' in p) return p.skip;
    const ctx = this.ctx();
    try {
      if (decl.kind === 'webhook') return await sendWebhookPayload(decl, p.content, ctx, p.payload);
      const msg = await renderFor(this.o, item.receiver, decl, p.content, n.id, ctx.now);
      return await sendMessage(decl, msg, ctx);
    } finally {
      // Counted when the answer came: the provider counts arrivals, and a request queued behind
      // others arrives late. Recording the start would let the next window open too early.
      limiter.record(this.o.clock.now());
    }
  }

  /**
   * Several notifications for one throttled destination, sent as one message. Only the ones the
   * digest lists are rendered; the others count in it by their status, severity and mentions.
   */
  private async deliverDigest(items: Item[], dest: string, limiter: DestinationLimiter): Promise<void> {
    const parts: { item: Item; msg: ChannelMessage }[] = [];
    const skipped: { item: Item; outcome: DeliveryOutcome }[] = [];
    for (const item of items) {
      const p = await this.contents.prepare(item);
      if ('skip' in p) {
        skipped.push({ item, outcome: p.skip });
        continue;
      }
      const now = this.o.clock.now();
      parts.push({
        item,
        msg:
          parts.length < DIGEST_MAX_LISTED
            ? await renderFor(this.o, item.receiver, item.decl, p.content, item.n.id, now)
            : unrenderedMessage(item.decl, p.content),
      });
    }
    for (const s of skipped) await this.finish([s.item], s.outcome, dest, 1);
    const head = parts[0];
    if (!head) return;
    const ctx = this.ctx();
    const digest = this.o.renderer.renderDigest(
      parts.map((p) => p.msg),
      {
        language: head.item.receiver.language,
        idempotencyKey: idempotencyKey(dest, parts.map((p) => p.item.n.id).join(',')),
        detailUrl: head.msg.detailUrl,
      },
    );
    let outcome: DeliveryOutcome;
    try {
      outcome = await sendMessage(head.item.decl, digest, ctx);
    } finally {
      limiter.record(this.o.clock.now());
    }
    const said = outcome.ok
      ? `${outcome.message} (digest of ${parts.length} notifications)`
      : outcome.message;
    await this.finish(
      parts.map((p) => p.item),
      { ...outcome, message: said },
      dest,
      parts.length,
    );
  }

  private async finish(items: Attempted[], outcome: DeliveryOutcome, dest: string | null, merged: number) {
    await recordOutcome(
      {
        clock: this.o.clock,
        logger: this.o.logger,
        newId: this.o.newId,
        maxAttempts: this.maxAttempts,
        random: this.random,
        destinations: this.destinations,
        health: this.health,
        wake: () => this.wake(),
        store: this.store,
      },
      items,
      outcome,
      dest,
      merged,
    );
    this.o.onAttempted?.(new Set(items.map((i) => i.n.groupKey)));
  }

  /** Channels failing now (consecutive failed attempts at or above the threshold). */
  failingChannels(): { receiver: string; channel: string; failures: number; since: number }[] {
    return this.health.failing();
  }

  /** When a destination's provider penalty ends, if it is closed now. */
  penaltyEnds(destination: string): number | null {
    return this.destinations.penaltyEnds(destination);
  }

  /**
   * Sends a sample notification through a receiver's channels (or one of them) now (test-send.ts).
   * Throws `not_found` for an unknown receiver, `invalid` for a channel it does not have.
   */
  async sendTest(receiverName: string, testId: string, channelId?: string): Promise<TestResult[]> {
    const receiver = testedReceiver(this.receivers, receiverName, channelId);
    const content = { ...sampleNotification(this.o.clock.now()), externalUrl: this.o.externalUrl };
    return sendTest(
      { ...this.o, destinations: this.destinations, ctx: () => this.ctx() },
      receiver,
      content,
      testId,
      channelId,
    );
  }
}
