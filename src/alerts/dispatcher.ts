// Puts alerts into aggregation groups (inside the ingest transaction) and flushes each group when
// its durable timer is due: the flush decides (pure) whether there is news, writes the notification
// to the outbox, and moves the timer, all in one transaction. One in-process timer wakes it for the
// earliest due group; the database stays the truth, so a restart resumes where the last one stopped.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { ReceiverConfig, RouteNode } from '../config/model.js';
import { outboxRepo } from '../notify/outbox.js';
import type { NewNotification, StoredContent } from '../notify/outbox.js';
import type { StoredAlert } from './alert.repo.js';
import { groupRepo } from './group.repo.js';
import { decideFlush, firstFlushAt, nextFlushAfter } from './group-timer.js';
import { statusAt } from './model.js';
import { compileRoutes, groupKey, groupLabels, matchRoutes } from './route.js';
import type { CompiledRoute } from './route.js';

export interface DispatcherOptions {
  db: Kysely<DB>;
  postgres: boolean;
  clock: Clock;
  ids: Ids;
  route: RouteNode;
  receivers: readonly ReceiverConfig[];
  externalUrl: string;
  logger: Logger;
  /** Told after a flush committed notifications. */
  onNotify: () => void;
}

const byId = (r: CompiledRoute, out = new Map<string, CompiledRoute>()): Map<string, CompiledRoute> => {
  out.set(r.node.id, r);
  for (const c of r.routes) byId(c, out);
  return out;
};

export class Dispatcher {
  private readonly root: CompiledRoute;
  private readonly routes: Map<string, CompiledRoute>;
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  /** Timers run only between start() and stop(); flushDue() can always be called. */
  private started = false;
  private closed = false;

  constructor(private readonly o: DispatcherOptions) {
    this.root = compileRoutes(o.route);
    this.routes = byId(this.root);
  }

  /**
   * Inside the ingest transaction: adds the alerts to the groups of every route that takes them,
   * creating groups (timer at now + group_wait) for firing alerts. Returns the earliest new timer.
   */
  async assign(trx: Kysely<DB>, alerts: readonly StoredAlert[], now: number): Promise<number | null> {
    const groups = new Map<
      string,
      { route: CompiledRoute; labels: Record<string, string>; firing: boolean; fps: string[] }
    >();
    for (const a of alerts) {
      const firing = statusAt(a, now) === 'firing';
      for (const route of matchRoutes(this.root, a.labels)) {
        const labels = groupLabels(route, a.labels);
        const key = groupKey(route, labels);
        const g = groups.get(key) ?? { route, labels, firing: false, fps: [] };
        g.firing ||= firing;
        g.fps.push(a.fingerprint);
        groups.set(key, g);
      }
    }
    if (groups.size === 0) return null;
    const existing = await groupRepo.existing(trx, [...groups.keys()]);
    const created = [...groups.entries()]
      .filter(([key, g]) => !existing.has(key) && g.firing)
      .map(([key, g]) => ({
        groupKey: key,
        routeId: g.route.node.id,
        receiver: g.route.node.receiver,
        groupLabels: g.labels,
        createdAt: now,
        nextFlushAt: firstFlushAt(now, g.route.node),
      }));
    await groupRepo.insert(trx, created);
    const live = new Set([...existing, ...created.map((c) => c.groupKey)]);
    await groupRepo.addMembers(
      trx,
      [...groups.entries()]
        .filter(([key]) => live.has(key))
        .flatMap(([key, g]) => g.fps.map((fingerprint) => ({ groupKey: key, fingerprint }))),
    );
    return created.length ? Math.min(...created.map((c) => c.nextFlushAt)) : null;
  }

  /** Wakes the flusher no later than `at`. */
  scheduleAt(at: number): void {
    if (!this.started || this.closed || at >= this.wakeAt) return;
    this.wakeAt = at;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(at - this.o.clock.now(), 0));
    this.timer.unref();
  }

  /** Starts flushing, beginning with every group that fell due while the process was down. */
  start(): void {
    this.started = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private wake(): void {
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (!this.started || this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.flushDue()
      .catch((e: unknown) => this.o.logger.error({ err: e }, 'flushing alert groups failed'))
      .then(async () => {
        const next = await groupRepo.nextDue(this.o.db).catch(() => null);
        if (next !== null) this.scheduleAt(next);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Flushes every group that is due now (the timer calls this; tests call it directly). */
  async flushDue(): Promise<void> {
    let notified = false;
    for (let round = 0; round < 100 && !this.closed; round++) {
      const due = await groupRepo.due(this.o.db, this.o.clock.now(), 100);
      for (const key of due) notified = (await this.flush(key, this.o.clock.now())) || notified;
      if (due.length < 100) break;
    }
    if (notified) this.o.onNotify();
  }

  /** Flushes one group if its timer is due; true when it wrote a notification. */
  async flush(key: string, now: number): Promise<boolean> {
    return this.o.db.transaction().execute(async (trx) => {
      const g = await groupRepo.lock(trx, key, this.o.postgres);
      if (!g || g.nextFlushAt > now) return false;
      const route = this.routes.get(g.routeId) ?? this.root;
      // Decide from fingerprints and end times only; labels are read when there is news to send.
      const states = await groupRepo.memberStates(trx, key);
      const firingStates = states.filter((a) => statusAt(a, now) === 'firing');
      const resolvedStates = states.filter((a) => statusAt(a, now) === 'resolved');
      const firing = firingStates.map((a) => a.fingerprint).sort();
      const resolved = resolvedStates.map((a) => a.fingerprint).sort();
      const receiver = this.o.receivers.find((r) => r.name === g.receiver);
      const sendResolved = receiver?.webhookConfigs.some((w) => w.sendResolved) ?? false;
      const decision = decideFlush({ firing, resolved }, g.notified, now, route.node, sendResolved);
      let wrote = false;
      if (decision.notify) {
        const content: StoredContent = {
          receiver: g.receiver,
          groupKey: key,
          groupLabels: g.groupLabels,
          externalUrl: this.o.externalUrl,
          alerts: [
            ...firingStates.map((a) => ({
              fingerprint: a.fingerprint,
              status: 'firing' as const,
              startsAt: a.startsAt,
              endsAt: null,
            })),
            ...resolvedStates.map((a) => ({
              fingerprint: a.fingerprint,
              status: 'resolved' as const,
              startsAt: a.startsAt,
              endsAt: a.endsAt,
            })),
          ],
        };
        const items: NewNotification[] = (receiver?.webhookConfigs ?? []).map((_, i) => ({
          id: this.o.ids.uuid(),
          groupKey: key,
          receiver: g.receiver,
          integration: `webhook/${i}`,
          content,
        }));
        await outboxRepo.enqueue(trx, items, now);
        wrote = items.length > 0;
      }
      // Resolved alerts leave the group once a flush has seen them; an empty group ends.
      await groupRepo.removeMembers(trx, key, resolved);
      if (firing.length === 0) await groupRepo.remove(trx, key);
      else
        await groupRepo.afterFlush(
          trx,
          key,
          nextFlushAfter(now, route.node),
          decision.notify ? { firing, resolved, at: now } : null,
        );
      return wrote;
    });
  }
}
