// Puts alerts into aggregation groups (inside the ingest transaction) and flushes each group when
// its durable timer is due: the flush decides (pure) whether there is news, writes the notification
// to the outbox, and moves the timer, all in one transaction. One in-process timer wakes it for the
// earliest due group; the database stays the truth, so a restart resumes where the last one stopped.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { ReceiverConfig, RouteNode } from '../config/model.js';
import type { NewNotification, NotificationRow, StoredContent } from '../notify/outbox.js';
import type { StoredAlert } from './alert.repo.js';
import { Pump } from '../db/pump.js';
import type { FlushStore, FlushTx } from './flush-store.js';
import { kyselyFlushStore } from './flush-store.js';
import { sqliteFlushStore } from './flush-sqlite.js';
import type { SqliteHandle } from '../db/sqlite-handle.js';
import { nextFlushAfter } from './group-timer.js';
import type { NotifiedState } from './group-timer.js';
import { changesIn, flapCandidates, isFlapping } from './flapping.js';
import { planFlush } from './flush-plan.js';
import { regroup } from './regroup.js';
import type { RegroupResult } from './regroup.js';
import type { MemberState } from './flush-plan.js';
import { isMuted } from './muting.js';
import type { FlushMuting } from './mute.service.js';
import { prepareFlush, quietFor } from './flush-ahead.js';
import type { IngestActivity, PreparedFlush } from './flush-ahead.js';
import { assignToGroups, assignToGroupsSync } from './group-assign.js';
import type { SqliteIngest } from './ingest-sqlite.js';
import { statusAt } from './model.js';
import { compileRoutes } from './route.js';
import type { CompiledRoute } from './route.js';

export interface DispatcherOptions {
  db: Kysely<DB>;
  postgres: boolean;
  /**
   * The embedded SQLite handle under `db`, with the database's read barrier and its non-blocking
   * begin: flushes then run on prepared statements (flush-sqlite.ts).
   */
  sqlite?: SqliteHandle | null;
  clock: Clock;
  ids: Ids;
  route: RouteNode;
  receivers: readonly ReceiverConfig[];
  externalUrl: string;
  logger: Logger;
  /** What mutes alerts at a flush (silences, inhibition, maintenance, time intervals). */
  muting: { forFlush(now: number): Promise<FlushMuting> };
  /** Told after a group's flush committed notifications, with them. */
  onNotify: (written: NotificationRow[]) => void;
  /**
   * The delivery engine of this process takes what a flush writes straight from `onNotify`: the
   * notifications are written claimed for this long (as its `claim` would), so no pass takes them
   * meanwhile, and a process that dies before sending leaves them to the next pass after it.
   */
  handOffLeaseMs?: number;
  /** Runs a regrouping (route tree changed) while nothing else groups alerts (the ingest journal's materialiser). */
  guardRegroup?: <T>(route: RouteNode, fn: () => Promise<T>) => Promise<T>;
  /**
   * The ingest journal (embedded SQLite with a server, alongside `sqlite`): with it, the groups due at
   * a timer's time are flushed while it is waited out, in a transaction held open until then (see
   * `prepare`).
   */
  journal?: IngestActivity | null;
  /**
   * Told, while a flush prepared ahead of its time waits, what it will hand to `onNotify` if it
   * commits (so that delivery reads what they send meanwhile); an empty list when it rolled back.
   */
  willNotify?: (written: NotificationRow[]) => void;
  /** Told how each flush prepared ahead of its time ended (see `prepare`), for /metrics. */
  onPrepared?: (outcome: 'committed' | 'rolled_back') => void;
}

/**
 * The longest a flush waits for its group's previous notification: the group interval, but at least
 * this (Alertmanager's `notify.MinTimeout`, the shortest time it gives a notification to finish).
 */
export const MIN_NOTIFY_WAIT_MS = 10_000;

/** Groups read as due at once. */
const DUE_BATCH = 100;

/** What one flush did, when it wrote no notification. */
type FlushResult = 'quiet' | 'held' | 'not-due';
/** What one flush did. */
type FlushOutcome = FlushResult | NotificationRow[];

/** Groups read as due at `at` before it came, and their flush when it was prepared (flush-ahead.ts). */
interface Ahead {
  at: number;
  keys: Promise<string[]>;
  prepared?: PreparedFlush<FlushOutcome>;
}

const byId = (r: CompiledRoute, out = new Map<string, CompiledRoute>()): Map<string, CompiledRoute> => {
  out.set(r.node.id, r);
  for (const c of r.routes) byId(c, out);
  return out;
};

export class Dispatcher {
  private root: CompiledRoute;
  private routes: Map<string, CompiledRoute>;
  private receivers: readonly ReceiverConfig[];
  /** Timers run only between start() and stop(); flushDue() can always be called. */
  private readonly pump: Pump;
  private closed = false;
  /** Groups whose flush waits for their previous notification (see `flush`); in this process only. */
  private readonly held = new Set<string>();
  private readonly store: FlushStore;
  /**
   * The groups read as due at `at` before it came (Pump.beforeDue): the next pass flushes them first.
   * With `prepared`, their flush waits for that pass in a transaction (see `prepare`).
   */
  private ahead: Ahead | null = null;
  /** Passes running now (flushDue). */
  private passes = 0;

  constructor(private readonly o: DispatcherOptions) {
    this.root = compileRoutes(o.route);
    this.routes = byId(this.root);
    this.receivers = o.receivers;
    this.store = o.sqlite ? sqliteFlushStore(o.db, o.sqlite) : kyselyFlushStore(o.db, o.postgres);
    this.pump = new Pump({
      clock: o.clock,
      run: () => this.flushDue(),
      nextDue: () => this.store.nextDue(),
      onError: (e) => o.logger.error({ err: e }, 'flushing alert groups failed'),
      // The groups due at the timer's time are read while it is waited out, off the path from the
      // timer to the notification (it is the first read after the materialiser's commits, ~0.15 ms).
      beforeDue: (at) => {
        const before = this.ahead;
        // The timer is armed again for the same time when a clock (a test's) has not got there.
        if (before?.at === at && before.prepared && !before.prepared.released()) return;
        before?.prepared?.release(false);
        const keys = this.store.due(at, DUE_BATCH).catch(() => []);
        const j = o.journal;
        const prepare = o.sqlite && j && this.passes === 0 && quietFor(j, o.clock.now());
        this.ahead = prepare ? { at, keys, prepared: this.prepare(at, keys, j) } : { at, keys };
      },
    });
  }

  /**
   * Takes a reloaded route tree and receivers. When the tree changed, the groups are formed anew
   * (see regroup.ts): surviving groups keep their timers and notified state.
   */
  async reconfigure(route: RouteNode, receivers: readonly ReceiverConfig[]): Promise<RegroupResult | null> {
    this.receivers = receivers;
    if (JSON.stringify(route) === JSON.stringify(this.root.node)) return null;
    const root = compileRoutes(route);
    const run = () => regroup(this.o.db, root, this.o.clock.now(), this.o.postgres);
    const result = await (this.o.guardRegroup ? this.o.guardRegroup(route, run) : run());
    this.root = root;
    this.routes = byId(root);
    if (result.nextFlushAt !== null) this.scheduleAt(result.nextFlushAt);
    return result;
  }

  /** Inside the ingest transaction: see `assignToGroups`. Returns the earliest new timer. */
  assign(trx: Kysely<DB>, alerts: readonly StoredAlert[], now: number): Promise<number | null> {
    return assignToGroups(trx, this.root, alerts, now);
  }

  /** The same on the SQLite fast path, inside the caller's SQLite transaction. */
  assignSync(st: SqliteIngest, alerts: readonly StoredAlert[], now: number): number | null {
    return assignToGroupsSync(st, this.root, alerts, now);
  }

  /** Wakes the flusher no later than `at`. */
  scheduleAt(at: number): void {
    this.pump.scheduleAt(at);
  }

  /**
   * Attempts on these groups' notifications ended: a held flush goes on now instead of at its bound.
   * Another instance's delivery does not reach here; its held groups wait for their bound.
   */
  release(groupKeys: ReadonlySet<string>): void {
    const keys = [...groupKeys].filter((k) => this.held.delete(k));
    if (keys.length === 0) return;
    const now = this.o.clock.now();
    void this.store
      .pullForward(keys, now)
      .then(() => this.scheduleAt(now))
      .catch((e: unknown) => this.o.logger.error({ err: e }, 'releasing held alert groups failed'));
  }

  /** Starts flushing, beginning with every group that fell due while the process was down. */
  start(): void {
    this.pump.start();
  }

  async stop(): Promise<void> {
    this.closed = true;
    const prepared = this.ahead?.prepared;
    this.ahead = null;
    prepared?.release(false);
    await prepared?.done;
    await this.pump.stop();
  }

  /** Flushes every group that is due now (the timer calls this; tests call it directly). */
  async flushDue(): Promise<void> {
    this.passes++;
    try {
      await this.pass();
    } finally {
      this.passes--;
    }
  }

  private async pass(): Promise<void> {
    // What mutes alerts is read once for the whole round, and only if some group is due.
    let muting: Promise<FlushMuting> | null = null;
    const mute = (now: number) => (muting ??= this.o.muting.forFlush(now));
    let handed = false;
    const settle = (key: string, result: FlushOutcome): void => {
      if (result === 'held') this.held.add(key);
      else if (typeof result !== 'string') {
        // Handed on at once: delivery of this group starts while the next ones flush.
        this.o.onNotify(result);
        handed = true;
      }
    };
    // What was handed on goes out before this pass reads anything again. Two turns: the HTTP client
    // writes a request on a kept-alive connection a turn after it gets it (undici first lets the
    // connection report a close that may be waiting).
    const letOut = async (): Promise<void> => {
      if (!handed) return;
      handed = false;
      await nextTurn();
      await nextTurn();
    };
    const flush = async (keys: readonly string[]): Promise<void> => {
      for (const key of keys) {
        // Read before the transaction: on SQLite it holds the only connection.
        const now = this.o.clock.now();
        const m = await mute(now);
        settle(key, await this.store.transaction((tx) => this.flushIn(tx, key, now, m)));
      }
      await letOut();
    };
    const ahead = this.ahead;
    this.ahead = null;
    let flushed = false;
    if (ahead?.prepared) {
      ahead.prepared.release(!this.closed && this.o.clock.now() >= ahead.at);
      const results = await ahead.prepared.done;
      if (results) {
        for (const [key, result] of results) settle(key, result);
        await letOut();
        flushed = true;
      }
    }
    if (ahead && !flushed && ahead.at > this.o.clock.now()) this.ahead = { at: ahead.at, keys: ahead.keys };
    else if (ahead && !flushed && !this.closed) await flush(await ahead.keys);
    for (let round = 0; round < 100 && !this.closed; round++) {
      const due = await this.store.due(this.o.clock.now(), DUE_BATCH);
      await flush(due);
      if (due.length < DUE_BATCH) break;
    }
  }

  /**
   * Flushes the groups due at `at` (`keys`, read ahead) before that time, as the pass at `at` would:
   * in one transaction, with `at` as the time, which then waits for that pass (`release`). The pass
   * commits it and hands its notifications on; what stays on the path from the timer to the webhook
   * is the commit, not the reads and the decisions (bench/README.md, session 10).
   *
   * It holds the database's write lock and Kysely's connection while it waits, a couple of
   * milliseconds, so nothing else writes meanwhile: no Kysely query (acknowledgements, silences,
   * delivery's bookkeeping, a release's timers) and not the ingest journal's materialiser. What that
   * leaves is alerts acknowledged into the journal meanwhile (they may belong to these groups, and
   * join by `at`): then the pass rolls it back and flushes the usual way, as it does when the wait
   * ends before `at` (an earlier wake) or when its pass does not come within PREPARED_MAX_HOLD_MS
   * (flush-ahead.ts).
   */
  private prepare(at: number, keys: Promise<string[]>, journal: IngestActivity): PreparedFlush<FlushOutcome> {
    return prepareFlush<FlushOutcome>({
      keys,
      journal,
      flush: async (due, gate, released) => {
        const muting = await this.o.muting.forFlush(at);
        if (released()) return null;
        return this.store.transaction(async (tx) => {
          const out: [string, FlushOutcome][] = [];
          for (const key of due) out.push([key, await this.flushIn(tx, key, at, muting)]);
          const written = out.flatMap(([, r]) => (typeof r === 'string' ? [] : r));
          if (written.length) this.o.willNotify?.(written);
          try {
            await gate();
          } catch (e) {
            if (written.length) this.o.willNotify?.([]);
            throw e;
          }
          return out;
        });
      },
      onOutcome: this.o.onPrepared,
      logger: this.o.logger,
    });
  }

  private async flushIn(tx: FlushTx, key: string, now: number, muting: FlushMuting): Promise<FlushOutcome> {
    const g = await tx.lock(key);
    if (!g || g.nextFlushAt > now) return 'not-due';
    const route = this.routes.get(g.routeId) ?? this.root;
    // As in Alertmanager, a group flushes again only once its previous notification finished, or
    // after it had the group interval (at least MIN_NOTIFY_WAIT_MS) to do so: a receiver slower
    // than the interval gets the group's latest state when it is ready, not every state in turn.
    const waitMs = Math.max(route.node.groupIntervalMs, MIN_NOTIFY_WAIT_MS);
    const pendingSince = await tx.oldestPending(key, now - waitMs);
    if (pendingSince !== null) {
      await tx.afterFlush(key, pendingSince + waitMs, null);
      return 'held';
    }
    // Fingerprints and times decide; labels are read only when something could mute by labels.
    // The members that had joined when the flush was due, as Alertmanager's flush then would list
    // them; alerts received since (while this flush waited for its turn or for the materialiser)
    // go out with the next one.
    const stored = await tx.memberStates(key);
    const members = stored.filter((m) => m.joinedAt <= g.nextFlushAt);
    const later = stored.length - members.length;
    const routeMuted = muting.routeMutedBy(route.node).length > 0;
    const muted = new Set<string>();
    if (!routeMuted && muting.byLabels && members.length) {
      const labels = await tx.labels(members.map((m) => m.fingerprint));
      for (const [fp, l] of labels) if (isMuted(muting.state(l))) muted.add(fp);
    }
    const flapping = await this.flappingMembers(tx, route.node, members, g.notified, now);
    const receiver = this.receivers.find((r) => r.name === g.receiver);
    const plan = planFlush({
      members,
      flapping,
      muted,
      routeMuted,
      last: g.notified,
      now,
      timing: route.node,
      sendResolved: receiver?.channels.some((c) => c.sendResolved) ?? false,
      acked: g.ack?.firing ?? null,
    });
    let written: NotificationRow[] = [];
    if (plan.decision.notify) {
      const content: StoredContent = {
        receiver: g.receiver,
        groupKey: key,
        groupLabels: g.groupLabels,
        externalUrl: this.o.externalUrl,
        maxAlertsListed: route.node.storm.maxAlertsListed,
        alerts: plan.alerts,
      };
      // `fallback` starts with the first channel; the delivery engine hands on to the next.
      const channels = receiver
        ? receiver.policy === 'fallback'
          ? receiver.channels.slice(0, 1)
          : receiver.channels
        : [];
      const items: NewNotification[] = channels.map((c) => ({
        id: this.o.ids.uuid(),
        groupKey: key,
        receiver: g.receiver,
        integration: c.id,
        content,
      }));
      const nextAttemptAt = now + (this.o.handOffLeaseMs ?? 0);
      await tx.enqueue(items, now, nextAttemptAt);
      written = items.map((n) => ({ ...n, status: 'pending', attempts: 0, createdAt: now, nextAttemptAt }));
    }
    // Resolved alerts leave the group once a flush has seen them; an empty group ends.
    await tx.removeMembers(key, plan.leave);
    if (plan.ends && later === 0) await tx.remove(key);
    else await tx.afterFlush(key, nextFlushAfter(now, route.node), plan.notified);
    return written.length ? written : 'quiet';
  }

  /** The members flapping now, among those whose state could be news (see flapCandidates). */
  private async flappingMembers(
    tx: FlushTx,
    route: RouteNode,
    members: readonly MemberState[],
    last: NotifiedState,
    now: number,
  ): Promise<Set<string>> {
    if (route.flapping.threshold <= 0 || members.length === 0) return new Set();
    const candidates = flapCandidates(
      members.map((m) => ({ fingerprint: m.fingerprint, firing: statusAt(m, now) === 'firing' })),
      last,
    );
    if (candidates.length === 0) return new Set();
    const episodes = await tx.episodesSince(candidates, now - route.flapping.windowMs);
    const out = new Set<string>();
    for (const [fp, list] of episodes)
      if (isFlapping(changesIn(list, now - route.flapping.windowMs, now), route.flapping)) out.add(fp);
    return out;
  }
}
