// Pure: what one flush of an aggregation group does, given its members' states, which of them are
// muted or flapping, and what the group last told its receiver. Alertmanager's pipeline order:
// muted alerts (silences, inhibition, maintenance) are dropped first and a route muted by its time
// intervals sends nothing; when nothing is left, the flush says nothing and the notification log
// is not touched (MultiStage stops on an empty list), so the muted alerts are news again when the
// mute ends only if they were not told before. Then the dedup decision (group-timer.ts) runs on what
// is left. Flapping alerts count as firing until they settle.
import type { GroupTiming, NotifiedState, FlushDecision } from './group-timer.js';
import { decideFlush } from './group-timer.js';
import { statusAt } from './model.js';

export interface MemberState {
  fingerprint: string;
  startsAt: number;
  endsAt: number;
}

/** A member as stored: with when it joined the group (its receive time; 0 when not recorded). */
export interface GroupMember extends MemberState {
  joinedAt: number;
}

export interface PlannedAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: number;
  endsAt: number | null;
  /** Shown as flapping: it counts as firing until it settles. */
  flapping?: true;
}

export interface FlushPlan {
  decision: FlushDecision;
  /** The alerts of the notification (firing first), when `decision.notify`. */
  alerts: PlannedAlert[];
  /**
   * The notified state to store, or null to keep it: the notification's when `decision.notify`;
   * otherwise the last one less the alerts that stopped flapping (so flapping again is news again).
   */
  notified: NotifiedState | null;
  /** Members that leave the group: resolved (and not flapping) alerts, seen by this flush. */
  leave: string[];
  /** True when no member is firing or flapping any more: the group ends. */
  ends: boolean;
}

export interface FlushInput {
  members: readonly MemberState[];
  /** Members flapping now. */
  flapping: ReadonlySet<string>;
  /** Members muted now (silenced, inhibited, in maintenance). */
  muted: ReadonlySet<string>;
  /** The route is muted by its time intervals now: nothing is sent. */
  routeMuted: boolean;
  last: NotifiedState;
  now: number;
  timing: GroupTiming;
  sendResolved: boolean;
  /** The alerts firing when the group was acknowledged, or null: no repeats while nothing else fires. */
  acked?: readonly string[] | null;
}

const byFingerprint = (a: { fingerprint: string }, b: { fingerprint: string }) =>
  a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;

export function planFlush(i: FlushInput): FlushPlan {
  const firing: PlannedAlert[] = [];
  const resolved: PlannedAlert[] = [];
  const leave: string[] = [];
  for (const m of i.members) {
    const isFiring = statusAt(m, i.now) === 'firing';
    const flapping = i.flapping.has(m.fingerprint);
    if (!isFiring && !flapping) leave.push(m.fingerprint);
    if (i.routeMuted || i.muted.has(m.fingerprint)) continue;
    if (isFiring || flapping)
      firing.push({
        fingerprint: m.fingerprint,
        status: 'firing',
        startsAt: m.startsAt,
        endsAt: null,
        ...(flapping ? { flapping: true as const } : {}),
      });
    else
      resolved.push({
        fingerprint: m.fingerprint,
        status: 'resolved',
        startsAt: m.startsAt,
        endsAt: m.endsAt,
      });
  }
  firing.sort(byFingerprint);
  resolved.sort(byFingerprint);
  leave.sort();
  const ends = leave.length === i.members.length;
  const stillFlapping = i.last.flapping.filter((fp) => i.flapping.has(fp));
  const settled =
    stillFlapping.length < i.last.flapping.length ? { ...i.last, flapping: stillFlapping } : null;
  if (firing.length === 0 && resolved.length === 0)
    return { decision: { notify: false, reason: 'nothing-new' }, alerts: [], notified: settled, leave, ends };
  const current = {
    firing: firing.map((a) => a.fingerprint),
    resolved: resolved.map((a) => a.fingerprint),
    flapping: firing.filter((a) => a.flapping).map((a) => a.fingerprint),
  };
  const decision = decideFlush(current, i.last, i.now, i.timing, i.sendResolved, i.acked ?? null);
  return decision.notify
    ? { decision, alerts: [...firing, ...resolved], notified: { ...current, at: i.now }, leave, ends }
    : { decision, alerts: [], notified: settled, leave, ends };
}
