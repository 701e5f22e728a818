// Pure: the aggregation groups Alertmanager's `GET /api/v2/alerts/groups` lists, computed from the
// firing alerts and the route tree (dispatch.Dispatcher.Groups in Alertmanager 0.25): each alert
// joins one group per route that takes it, keyed by the route and the values of its group_by labels.
import type { Labels } from '../kernel/labels.js';
import type { CompiledRoute } from './route.js';
import { groupKey, groupLabels, matchRoutes } from './route.js';

export interface AlertGroupView<A> {
  route: CompiledRoute;
  labels: Record<string, string>;
  receiver: string;
  alerts: A[];
}

/** prometheus/common's `LabelSet.Before`: fewer labels first, then by sorted names and their values. */
export function labelSetBefore(a: Labels, b: Labels): boolean {
  const an = Object.keys(a);
  const bn = Object.keys(b);
  if (an.length !== bn.length) return an.length < bn.length;
  const names = [...new Set([...an, ...bn])].sort();
  for (const n of names) {
    const av = a[n];
    if (av === undefined) return true;
    const bv = b[n];
    if (bv === undefined) return false;
    if (av !== bv) return av < bv;
  }
  return false;
}

/**
 * Alertmanager's `AlertSlice` order: by the `job` label, then `instance` (an alert with the label
 * before one without), then `LabelSet.Before`.
 */
export function compareAlerts(a: { labels: Labels }, b: { labels: Labels }): number {
  for (const name of ['job', 'instance']) {
    const av = a.labels[name];
    const bv = b.labels[name];
    if (av === undefined && bv === undefined) continue;
    if (av === undefined) return 1;
    if (bv === undefined) return -1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return labelSetBefore(a.labels, b.labels) ? -1 : labelSetBefore(b.labels, a.labels) ? 1 : 0;
}

/**
 * The groups holding `alerts`, as Alertmanager lists them: only routes `keepRoute` accepts and
 * alerts `keepAlert` accepts; a group left without alerts is not listed. Groups are sorted by their
 * labels (`LabelSet.Before`), then receiver; alerts in a group by job, instance, labels.
 * `receivers` gives, per fingerprint, the sorted receivers of the listed groups holding that alert.
 */
export function alertGroups<A extends { labels: Labels; fingerprint: string }>(
  root: CompiledRoute,
  alerts: readonly A[],
  keepRoute: (route: CompiledRoute) => boolean = () => true,
  keepAlert: (alert: A) => boolean = () => true,
): { groups: AlertGroupView<A>[]; receivers: Map<string, string[]> } {
  const byKey = new Map<string, AlertGroupView<A>>();
  const receivers = new Map<string, string[]>();
  for (const a of alerts) {
    if (!keepAlert(a)) continue;
    for (const route of matchRoutes(root, a.labels)) {
      if (!keepRoute(route)) continue;
      const labels = groupLabels(route, a.labels);
      const key = groupKey(route, labels);
      let g = byKey.get(key);
      if (!g) byKey.set(key, (g = { route, labels, receiver: route.node.receiver, alerts: [] }));
      g.alerts.push(a);
      receivers.set(a.fingerprint, [...(receivers.get(a.fingerprint) ?? []), route.node.receiver]);
    }
  }
  const groups = [...byKey.values()].sort((x, y) => {
    if (labelSetBefore(x.labels, y.labels)) return -1;
    if (labelSetBefore(y.labels, x.labels)) return 1;
    return x.receiver < y.receiver ? -1 : x.receiver > y.receiver ? 1 : 0;
  });
  for (const g of groups) g.alerts.sort(compareAlerts);
  for (const list of receivers.values()) list.sort();
  return { groups, receivers };
}

/** The receivers of every route that takes `labels`, in route order (Alertmanager's `receivers` of an alert). */
export const receiversOf = (root: CompiledRoute, labels: Labels): string[] =>
  matchRoutes(root, labels).map((r) => r.node.receiver);
