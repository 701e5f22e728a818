// Pure: flapping. An alert whose state changed (fired or resolved) more than `threshold` times
// within `windowMs` flaps; a group notifies it once as flapping, then counts it as firing so its
// flips are not news, until the changes in the sliding window fall to the threshold (it settled).
import type { RouteNode } from '../config/model.js';

/**
 * State changes of one alert in [since, now]: each firing episode that started, and each that
 * ended, in it. A start or end in the future (an alert posted with only `endsAt` starts at its end,
 * as in Alertmanager) has not happened yet.
 */
export function changesIn(
  episodes: readonly { startedAt: number; endedAt: number | null }[],
  since: number,
  now: number,
): number {
  const inWindow = (t: number) => t >= since && t <= now;
  let n = 0;
  for (const e of episodes) {
    if (inWindow(e.startedAt)) n++;
    if (e.endedAt !== null && inWindow(e.endedAt)) n++;
  }
  return n;
}

/** A threshold of 0 turns flapping detection off for the route. */
export const isFlapping = (changes: number, flapping: RouteNode['flapping']): boolean =>
  flapping.threshold > 0 && changes > flapping.threshold;

/**
 * Which members a flush must check: only an alert that could be news can need the flapping
 * treatment — one firing but not in the last notification, a resolved one, or one notified as
 * flapping (to see whether it settled). The rest keep their state without a query.
 */
export function flapCandidates(
  members: readonly { fingerprint: string; firing: boolean }[],
  last: { firing: readonly string[] | null; flapping: readonly string[] },
): string[] {
  const notifiedFiring = new Set(last.firing ?? []);
  const notifiedFlapping = new Set(last.flapping);
  return members
    .filter((m) => !m.firing || !notifiedFiring.has(m.fingerprint) || notifiedFlapping.has(m.fingerprint))
    .map((m) => m.fingerprint);
}
