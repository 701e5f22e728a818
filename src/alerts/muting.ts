// Pure: whether an alert is muted right now — by a silence or an inhibition with Alertmanager's
// semantics (silence/silence.go, inhibit/inhibit.go), by a maintenance window (Watchpost), or, per
// route, by its mute/active time intervals (notify.TimeMuteStage/TimeActiveStage). The flush and
// the API both ask here.
import type { InhibitRule, RouteNode } from '../config/model.js';
import type { Labels } from '../kernel/labels.js';
import { fingerprint } from '../kernel/labels.js';
import type { CompiledMatcher } from '../kernel/matchers.js';
import type { TimeIntervalSpec } from '../kernel/time-interval.js';
import { isInAnyTimeInterval } from '../kernel/time-interval.js';
import { compileMatcher, matchesAll } from '../kernel/matchers.js';
import type { CompiledSilence } from './silence.js';
import { silencedBy } from './silence.js';

export interface CompiledInhibitRule {
  readonly source: readonly CompiledMatcher[];
  readonly target: readonly CompiledMatcher[];
  readonly equal: readonly string[];
}

/** A firing alert that may inhibit others. An `endsAt` at or before `now` makes it resolved. */
export interface InhibitionSource {
  fingerprint: string;
  labels: Labels;
  endsAt?: number | undefined;
}

/** A maintenance window covering an alert now. Both modes mute notifications; `expected` also marks the alert as expected. */
export interface MaintenanceHit {
  id: string;
  name: string;
  mode: 'mute' | 'expected';
}

export interface MuteContext {
  silences: readonly CompiledSilence[];
  inhibitRules: readonly CompiledInhibitRule[];
  /** Every firing alert: the candidates for inhibition sources. */
  firingAlerts: readonly InhibitionSource[];
  /** The maintenance windows active now that cover these labels (none when absent). */
  maintenance?: ((labels: Labels) => MaintenanceHit[]) | undefined;
}

export interface MuteState {
  /** Ids of the active silences matching the alert, in the order of `ctx.silences`. */
  silencedBy: string[];
  /** Fingerprints of the firing alerts inhibiting it, sorted, each once, across all rules. */
  inhibitedBy: string[];
  /** Active maintenance windows covering it. */
  maintenance: MaintenanceHit[];
  /**
   * Alertmanager's `mutedBy`: names of the time intervals that mute the alert's routes now. Filled
   * by whoever knows the routes (`timeMutedBy`); `muter` leaves it empty.
   */
  mutedBy: string[];
}

/** Muted for notifications: silenced, inhibited, in maintenance, or its routes muted by time. */
export const isMuted = (m: MuteState): boolean =>
  m.silencedBy.length > 0 || m.inhibitedBy.length > 0 || m.maintenance.length > 0 || m.mutedBy.length > 0;

/**
 * Names of the time intervals that mute `route`'s notifications at `now` (Alertmanager's
 * TimeMuteStage and TimeActiveStage): each of its `mute_time_intervals` that contains now, and,
 * when it has `active_time_intervals` of which none contains now, all of those. Empty: not muted.
 * Unknown names were rejected when the configuration loaded; here they mute nothing.
 */
export function timeMutedBy(
  route: Pick<RouteNode, 'muteTimeIntervals' | 'activeTimeIntervals'>,
  intervals: Readonly<Record<string, readonly TimeIntervalSpec[]>>,
  now: number,
): string[] {
  const isIn = (name: string) => isInAnyTimeInterval(intervals[name] ?? [], now);
  const muted = route.muteTimeIntervals.filter(isIn);
  if (route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some(isIn))
    muted.push(...route.activeTimeIntervals);
  return muted;
}

/** Compiles the configuration's inhibit rules once; their matchers were checked when it loaded. */
export function compileInhibitRules(rules: readonly InhibitRule[]): CompiledInhibitRule[] {
  return rules.map((r) => ({
    source: r.sourceMatchers.map(compileMatcher),
    target: r.targetMatchers.map(compileMatcher),
    equal: [...r.equal],
  }));
}

/** The values of the `equal` labels; a missing label counts as "" (so missing on both is equal). */
const equalKey = (equal: readonly string[], labels: Labels): string =>
  JSON.stringify(equal.map((n) => labels[n] ?? ''));

interface IndexedSource {
  fingerprint: string;
  /** The source also matches the rule's target side (Alertmanager's two-sided match). */
  matchesTarget: boolean;
}

/**
 * Prepares `ctx` once for many alerts at `now`: the firing sources of each rule indexed by their
 * `equal` values, so each lookup costs the sources sharing those values, not every firing alert.
 * The returned function gives the same answer as `muteState(labels, now, ctx)`.
 */
export function muter(ctx: MuteContext, now: number): (labels: Labels) => MuteState {
  const rules = ctx.inhibitRules.map((rule) => {
    const byKey = new Map<string, IndexedSource[]>();
    for (const a of ctx.firingAlerts) {
      if (a.endsAt !== undefined && a.endsAt <= now) continue;
      if (!matchesAll(rule.source, a.labels)) continue;
      const key = equalKey(rule.equal, a.labels);
      const list = byKey.get(key) ?? [];
      list.push({ fingerprint: a.fingerprint, matchesTarget: matchesAll(rule.target, a.labels) });
      byKey.set(key, list);
    }
    return { rule, byKey };
  });
  return (labels) => {
    const inhibitors = new Set<string>();
    let self: string | undefined;
    for (const { rule, byKey } of rules) {
      if (!matchesAll(rule.target, labels)) continue;
      const candidates = byKey.get(equalKey(rule.equal, labels));
      if (!candidates) continue;
      // An alert that matches both sides is not inhibited by sources that also match both sides:
      // otherwise two such alerts would mute each other (Alertmanager's excludeTwoSidedMatch).
      const excludeTwoSided = matchesAll(rule.source, labels);
      self ??= fingerprint(labels);
      for (const c of candidates) {
        if (c.fingerprint === self) continue;
        if (excludeTwoSided && c.matchesTarget) continue;
        inhibitors.add(c.fingerprint);
      }
    }
    return {
      silencedBy: silencedBy(ctx.silences, labels, now),
      inhibitedBy: [...inhibitors].sort(),
      maintenance: ctx.maintenance?.(labels) ?? [],
      mutedBy: [],
    };
  };
}

/**
 * Why an alert with `labels` is muted at `now`: the active silences matching it, and the firing
 * alerts that inhibit it — a source matching a rule's source matchers mutes a target matching its
 * target matchers when every `equal` label has the same value on both (missing on both counts as
 * equal); a resolved source mutes nothing and an alert never inhibits itself. For many alerts at
 * once, build a `muter` and call it per alert.
 */
export function muteState(labels: Labels, now: number, ctx: MuteContext): MuteState {
  return muter(ctx, now)(labels);
}
