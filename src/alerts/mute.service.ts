// Why alerts are muted now: gathers what the pure decision (muting.ts) needs — active silences,
// inhibit rules and the firing alerts that can inhibit, active maintenance windows, the routes'
// time intervals — once per question, for the flush (`forFlush`) and for the API (`muteStates`).
import type { Clock } from '../kernel/clock.js';
import type { Labels } from '../kernel/labels.js';
import type { TimeIntervalSpec } from '../kernel/time-interval.js';
import type { InhibitRule, RouteNode } from '../config/model.js';
import type { StoredAlert } from './alert.repo.js';
import type { CompiledSilence } from './silence.js';
import type { CompiledInhibitRule, InhibitionSource, MaintenanceHit, MuteState } from './muting.js';
import { compileInhibitRules, muter, timeMutedBy } from './muting.js';
import type { CompiledRoute } from './route.js';
import { compileRoutes, matchRoutes } from './route.js';

export interface MuteServiceDeps {
  clock: Clock;
  silences: { activeCompiled(now: number): Promise<CompiledSilence[]> };
  inhibitRules: readonly InhibitRule[];
  /** The firing alerts: inhibition sources. Read only when there are inhibit rules. */
  firing: (now: number) => Promise<readonly InhibitionSource[]>;
  /** The maintenance windows active at `now` as a lookup by labels; undefined when none is active. */
  maintenance?: ((now: number) => Promise<((labels: Labels) => MaintenanceHit[]) | undefined>) | undefined;
  route: RouteNode;
  timeIntervals: Readonly<Record<string, readonly TimeIntervalSpec[]>>;
}

/** What one flush round needs to know, read once and shared by every group it flushes. */
export interface FlushMuting {
  /** False when no silence, inhibit rule or window could mute anything: labels need not be read. */
  readonly byLabels: boolean;
  state(labels: Labels): MuteState;
  /** Names of the time intervals muting this route now; empty when it may notify. */
  routeMutedBy(route: Pick<RouteNode, 'muteTimeIntervals' | 'activeTimeIntervals'>): string[];
}

export class MuteService {
  private rules: CompiledInhibitRule[];
  private root: CompiledRoute;
  private timeIntervals: MuteServiceDeps['timeIntervals'];

  constructor(private readonly d: MuteServiceDeps) {
    this.rules = compileInhibitRules(d.inhibitRules);
    this.root = compileRoutes(d.route);
    this.timeIntervals = d.timeIntervals;
  }

  /** Takes a reloaded configuration's inhibit rules, routes and time intervals. */
  reconfigure(c: Pick<MuteServiceDeps, 'inhibitRules' | 'route' | 'timeIntervals'>): void {
    this.rules = compileInhibitRules(c.inhibitRules);
    this.root = compileRoutes(c.route);
    this.timeIntervals = c.timeIntervals;
  }

  async forFlush(now: number): Promise<FlushMuting> {
    const silences = await this.d.silences.activeCompiled(now);
    const firing = this.rules.length ? await this.d.firing(now) : [];
    const maintenance = this.d.maintenance ? await this.d.maintenance(now) : undefined;
    const state = muter({ silences, inhibitRules: this.rules, firingAlerts: firing, maintenance }, now);
    return {
      byLabels: silences.length > 0 || this.rules.length > 0 || maintenance !== undefined,
      state,
      routeMutedBy: (route) => timeMutedBy(route, this.timeIntervals, now),
    };
  }

  /**
   * Why each of `firing` is muted at `now`, by fingerprint, as Alertmanager's API shows it.
   * `firing` must be every firing alert: inhibition sources are taken from it. `mutedBy` holds the
   * time intervals muting the routes that take the alert (Alertmanager 0.27's marker).
   */
  async muteStates(
    firing: readonly Pick<StoredAlert, 'fingerprint' | 'labels' | 'endsAt'>[],
    now: number = this.d.clock.now(),
  ): Promise<Map<string, MuteState>> {
    const silences = await this.d.silences.activeCompiled(now);
    const maintenance = this.d.maintenance ? await this.d.maintenance(now) : undefined;
    const state = muter({ silences, inhibitRules: this.rules, firingAlerts: firing, maintenance }, now);
    const byRoute = new Map<string, string[]>();
    const routeMuted = (r: CompiledRoute): string[] => {
      let m = byRoute.get(r.node.id);
      if (!m) byRoute.set(r.node.id, (m = timeMutedBy(r.node, this.timeIntervals, now)));
      return m;
    };
    return new Map(
      firing.map((a) => {
        const s = state(a.labels);
        const timed = new Set(matchRoutes(this.root, a.labels).flatMap(routeMuted));
        return [a.fingerprint, { ...s, mutedBy: [...timed] }];
      }),
    );
  }
}
