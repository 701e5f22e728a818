// Pure: when an aggregation group flushes, and whether a flush has anything to say — Alertmanager's
// aggregation-group timer and its notification dedup (notify.DedupStage) as functions of state.

export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** What the group last told its receiver. */
export interface NotifiedState {
  /** Fingerprints that were firing in the last notification (sorted), or null if none was sent. */
  firing: string[] | null;
  resolved: string[];
  /** Fingerprints notified as flapping in the last notification (sorted). */
  flapping: string[];
  at: number | null;
}

export interface FlushDecision {
  notify: boolean;
  /** Why, for the delivery log and tests. */
  reason:
    'new-firing' | 'flapping' | 'resolved' | 'repeat' | 'acknowledged' | 'nothing-new' | 'nothing-firing';
}

const isSubset = (xs: readonly string[], of: readonly string[]): boolean => {
  const s = new Set(of);
  return xs.every((x) => s.has(x));
};

/**
 * Alertmanager's `needsUpdate`: notify when a firing alert was not in the last notification, when
 * resolved alerts are new (and the receiver wants them) or everything resolved, or when the repeat
 * interval has passed. A group that resolved before its first notification says nothing.
 * Watchpost's addition: an alert that starts flapping is news once (`flapping` ⊄ last.flapping);
 * the caller counts flapping alerts as firing, so their flips are not news until they settle.
 * And: a group someone acknowledged gets no repeat while every alert firing was firing when it was
 * acknowledged (`acked`); news (a new alert firing, a resolution) still goes out.
 */
export function decideFlush(
  current: { firing: readonly string[]; resolved: readonly string[]; flapping?: readonly string[] },
  last: NotifiedState,
  now: number,
  timing: GroupTiming,
  sendResolved: boolean,
  acked: readonly string[] | null = null,
): FlushDecision {
  if (last.firing === null || last.at === null) {
    return current.firing.length > 0
      ? { notify: true, reason: 'new-firing' }
      : { notify: false, reason: 'nothing-firing' };
  }
  if (!isSubset(current.firing, last.firing)) return { notify: true, reason: 'new-firing' };
  if (!isSubset(current.flapping ?? [], last.flapping)) return { notify: true, reason: 'flapping' };
  if (last.firing.length > 0 && current.firing.length === 0) return { notify: true, reason: 'resolved' };
  if (sendResolved && !isSubset(current.resolved, last.resolved)) return { notify: true, reason: 'resolved' };
  if (current.firing.length > 0 && now - last.at >= timing.repeatIntervalMs)
    return acked !== null && isSubset(current.firing, acked)
      ? { notify: false, reason: 'acknowledged' }
      : { notify: true, reason: 'repeat' };
  return { notify: false, reason: 'nothing-new' };
}

/** A new group waits `group_wait` for more alerts before its first notification. */
export const firstFlushAt = (createdAt: number, t: GroupTiming): number => createdAt + t.groupWaitMs;

/** After each flush the group's timer ticks every `group_interval` while it holds alerts. */
export const nextFlushAfter = (flushedAt: number, t: GroupTiming): number => flushedAt + t.groupIntervalMs;
