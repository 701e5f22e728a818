// One alert's full story, for the alert drawer: the alert as API v2 shows it, why it is quiet (with
// the silences, the inhibiting alerts' labels and the windows' modes), whether it flaps, its firing
// episodes, and the aggregation groups it belongs to. Read-only: it decides nothing the flush does
// not decide the same way (muting.ts, flapping.ts, route.ts).
import { groupRepo } from './group.repo.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Labels } from '../kernel/labels.js';
import { notFound } from '../kernel/errors.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import type { RouteNode } from '../config/model.js';
import type { StoredAlert } from './alert.repo.js';
import { alertRepo } from './alert.repo.js';
import { changesIn, isFlapping } from './flapping.js';
import { flappingRepo } from './flapping.repo.js';
import type { AlertStatus } from './model.js';
import { statusAt } from './model.js';
import type { FlushMuting } from './mute.service.js';
import type { MuteState } from './muting.js';
import type { CompiledRoute } from './route.js';
import { groupKey, groupLabels, matchRoutes } from './route.js';
import type { CompiledSilence, Silence } from './silence.js';
import { silenceRepo } from './silence.repo.js';

/** How many past episodes the detail lists, newest first. */
export const DETAIL_EPISODES = 50;

export interface AlertDetailDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** The route tree in force (a reload replaces it). */
  routes: () => CompiledRoute;
  /**
   * What mutes at `now` (MuteService.forFlush): per label set, with every firing alert as an
   * inhibition source (read only when there are inhibit rules), without computing the state of every
   * firing alert as `muteStates` would.
   */
  muting: { forFlush(now: number): Promise<FlushMuting> };
  silences: { activeCompiled(now: number): Promise<CompiledSilence[]> };
}

export interface AlertDetail {
  alert: StoredAlert;
  /** Firing until its end time has passed (also before the resolver loop has marked it). */
  state: AlertStatus;
  /** Empty for a resolved alert: only a firing alert is muted (as in Alertmanager's API). */
  mute: MuteState;
  /** A maintenance window in mode `expected` covers it now. */
  expected: boolean;
  /** The silences named by `mute.silencedBy`, in that order. */
  silences: Silence[];
  /** The firing alerts named by `mute.inhibitedBy`, with their labels. */
  inhibitors: { fingerprint: string; labels: Labels }[];
  flapping: { flapping: boolean; changes: number; threshold: number; windowMs: number };
  /** The latest DETAIL_EPISODES firing episodes, newest first; `endedAt` null while firing. */
  episodes: { startedAt: number; endedAt: number | null }[];
  /** One per route that takes the alert, in route order (Alertmanager's `receivers` order). */
  groups: {
    groupKey: string;
    receiver: string;
    labels: Labels;
    /** Who acknowledged the group and when, if someone did and this alert was firing then. */
    acknowledged: { by: string; at: number } | null;
  }[];
}

const NOT_MUTED: MuteState = { silencedBy: [], inhibitedBy: [], maintenance: [], mutedBy: [] };

export class AlertDetailService {
  constructor(private readonly d: AlertDetailDeps) {}

  /** Everything about the alert with this fingerprint, firing or resolved; `not_found` when it was never stored. */
  async detail(actor: Actor, fingerprint: string): Promise<AlertDetail> {
    requirePermission(actor, 'read');
    const now = this.d.clock.now();
    const alert = (await alertRepo.getMany(this.d.db, [fingerprint])).get(fingerprint);
    if (!alert) throw notFound('alert', fingerprint);
    const routes = matchRoutes(this.d.routes(), alert.labels);
    const state = alert.status === 'firing' ? statusAt(alert, now) : 'resolved';
    const mute = state === 'firing' ? await this.muteState(alert.labels, routes, now) : NOT_MUTED;
    const [silences, inhibitors, flapping, episodes] = await Promise.all([
      this.silences(mute.silencedBy, now),
      this.inhibitors(mute.inhibitedBy),
      this.flapping(fingerprint, routes[0]?.node.flapping, now),
      this.d.db
        .selectFrom('alert_episodes')
        .select(['started_at', 'ended_at'])
        .where('fingerprint', '=', fingerprint)
        .orderBy('id', 'desc')
        .limit(DETAIL_EPISODES)
        .execute(),
    ]);
    return {
      alert,
      state,
      mute,
      expected: mute.maintenance.some((w) => w.mode === 'expected'),
      silences,
      inhibitors,
      flapping,
      episodes: episodes.map((e) => ({ startedAt: e.started_at, endedAt: e.ended_at })),
      groups: await this.groups(routes, alert.labels, fingerprint),
    };
  }

  private async groups(routes: CompiledRoute[], labels: Labels, fingerprint: string) {
    const groups = routes.map((r) => {
      const values = groupLabels(r, labels);
      return { groupKey: groupKey(r, values), receiver: r.node.receiver, labels: values };
    });
    const acks = await groupRepo.acks(
      this.d.db,
      groups.map((g) => g.groupKey),
    );
    return groups.map((g) => {
      const a = acks.get(g.groupKey);
      return { ...g, acknowledged: a && a.firing.includes(fingerprint) ? { by: a.by, at: a.at } : null };
    });
  }

  /** The same state `GET /api/v2/alerts` shows: `mutedBy` = time intervals muting its routes now. */
  private async muteState(labels: Labels, routes: CompiledRoute[], now: number): Promise<MuteState> {
    const m = await this.d.muting.forFlush(now);
    const s = m.state(labels);
    return { ...s, mutedBy: [...new Set(routes.flatMap((r) => m.routeMutedBy(r.node)))] };
  }

  private async silences(ids: readonly string[], now: number): Promise<Silence[]> {
    if (ids.length === 0) return [];
    const active = new Map((await this.d.silences.activeCompiled(now)).map((c) => [c.silence.id, c.silence]));
    const out: Silence[] = [];
    for (const id of ids) {
      // The muter read the same cached list; a refresh in between may have dropped one from it.
      const s = active.get(id) ?? (await silenceRepo.get(this.d.db, id));
      if (s) out.push(s);
    }
    return out;
  }

  private async inhibitors(fps: readonly string[]): Promise<AlertDetail['inhibitors']> {
    if (fps.length === 0) return [];
    const found = await alertRepo.getMany(this.d.db, [...fps]);
    return fps.map((fp) => ({ fingerprint: fp, labels: found.get(fp)?.labels ?? {} }));
  }

  /** Changes in the window of the first route that takes the alert (the one the flush asks first). */
  private async flapping(
    fingerprint: string,
    cfg: RouteNode['flapping'] | undefined,
    now: number,
  ): Promise<AlertDetail['flapping']> {
    const f = cfg ?? { threshold: 0, windowMs: 0 };
    if (f.windowMs <= 0) return { flapping: false, changes: 0, threshold: f.threshold, windowMs: f.windowMs };
    const since = now - f.windowMs;
    const eps = (await flappingRepo.episodesSince(this.d.db, [fingerprint], since)).get(fingerprint) ?? [];
    const changes = changesIn(eps, since, now);
    return { flapping: isFlapping(changes, f), changes, threshold: f.threshold, windowMs: f.windowMs };
  }
}
