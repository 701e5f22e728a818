// Pure: the storm summary. A notification for a group with more alerts than the route's
// `storm.max_alerts_listed` lists that many one by one (firing first, then by start time) and
// summarises the rest: how many fire and resolved, and for each label that differs between the
// alerts, how many alerts carry each of its most frequent values. Channels render it instead of a
// wall of alerts; the group still sends one notification, never one per alert.
import type { Labels } from '../kernel/labels.js';

export interface SummarisedAlert {
  status: 'firing' | 'resolved';
  labels: Labels;
  startsAt: number;
}

export interface LabelCounts {
  name: string;
  /** Distinct values of the label among the alerts. */
  distinct: number;
  /** The most frequent values, most frequent first (ties by value). */
  top: { value: string; count: number }[];
  /** Alerts carrying one of the other values, or no such label. */
  others: number;
}

export interface StormSummary<A extends SummarisedAlert> {
  total: number;
  firing: number;
  resolved: number;
  /** The alerts listed one by one. */
  listed: A[];
  /** Alerts not listed. */
  omitted: number;
  /** Labels whose values differ between the alerts (group labels and common labels excluded). */
  byLabel: LabelCounts[];
}

/** The order alerts are listed in: firing first, then the earliest start, then by labels. */
const order = (a: SummarisedAlert, b: SummarisedAlert): number =>
  a.status !== b.status
    ? a.status === 'firing'
      ? -1
      : 1
    : a.startsAt - b.startsAt || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));

/**
 * Summarises `alerts` when there are more than `maxListed` (null otherwise). `topValues` values
 * are counted per label, and at most `maxLabels` labels are described, those with fewer distinct
 * values first (they say most: "1,980 on node-a, 20 on node-b" beats 2,000 instance names).
 */
export function summarizeStorm<A extends SummarisedAlert>(
  alerts: readonly A[],
  groupLabels: Labels,
  maxListed: number,
  topValues = 5,
  maxLabels = 6,
): StormSummary<A> | null {
  if (alerts.length <= maxListed) return null;
  const values = new Map<string, Map<string, number>>();
  for (const a of alerts)
    for (const [name, value] of Object.entries(a.labels)) {
      if (name in groupLabels) continue;
      const m = values.get(name) ?? new Map<string, number>();
      m.set(value, (m.get(value) ?? 0) + 1);
      values.set(name, m);
    }
  const byLabel: LabelCounts[] = [];
  for (const [name, counts] of values) {
    const carried = [...counts.values()].reduce((s, n) => s + n, 0);
    // A label every alert carries with one value is common: nothing to count.
    if (counts.size === 1 && carried === alerts.length) continue;
    const top = [...counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : 1))
      .slice(0, topValues);
    byLabel.push({
      name,
      distinct: counts.size,
      top,
      others: alerts.length - top.reduce((s, t) => s + t.count, 0),
    });
  }
  byLabel.sort((x, y) => x.distinct - y.distinct || (x.name < y.name ? -1 : 1));
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const listed = [...alerts].sort(order).slice(0, Math.max(0, maxListed));
  return {
    total: alerts.length,
    firing,
    resolved: alerts.length - firing,
    listed,
    omitted: alerts.length - listed.length,
    byLabel: byLabel.slice(0, maxLabels),
  };
}
