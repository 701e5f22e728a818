// Pure: Alertmanager's route tree — which routes take an alert, and the aggregation group it joins.
import type { Labels } from '../kernel/labels.js';
import type { CompiledMatcher } from '../kernel/matchers.js';
import { compileMatcher, formatMatcher, matchesAll } from '../kernel/matchers.js';
import type { RouteNode } from '../config/model.js';

export interface CompiledRoute {
  node: RouteNode;
  /** Alertmanager's route key: the parent's key, `/`, and this route's matchers: `{}/{severity="P0"}`. */
  key: string;
  matchers: CompiledMatcher[];
  routes: CompiledRoute[];
}

/** Compiles every route's matchers once. */
export function compileRoutes(node: RouteNode, parentKey: string | null = null): CompiledRoute {
  const own = `{${node.matchers.map(formatMatcher).join(',')}}`;
  const key = parentKey === null ? own : `${parentKey}/${own}`;
  return {
    node,
    key,
    matchers: node.matchers.map(compileMatcher),
    routes: node.routes.map((r) => compileRoutes(r, key)),
  };
}

/**
 * Alertmanager's `Route.Match`: depth first, an alert goes to the first matching child (and to later
 * ones while the matching child has `continue`); when no child matches, the route itself takes it.
 */
export function matchRoutes(route: CompiledRoute, labels: Labels): CompiledRoute[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const all: CompiledRoute[] = [];
  for (const child of route.routes) {
    const m = matchRoutes(child, labels);
    all.push(...m);
    if (m.length > 0 && !child.node.continue) break;
  }
  return all.length ? all : [route];
}

/** The values of the route's `group_by` labels that the alert has (all labels for `...`). */
export function groupLabels(route: CompiledRoute, labels: Labels): Record<string, string> {
  if (route.node.groupBy === 'all') return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.node.groupBy) {
    const v = labels[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}

/** Go's `%q` for the label values Alertmanager prints (printable UTF-8 kept as is). */
const quote = (s: string): string => JSON.stringify(s);

/** Alertmanager's group key: `<route key>:{a="1", b="2"}`. */
export function groupKey(route: CompiledRoute, group: Labels): string {
  const parts = Object.keys(group)
    .sort()
    .map((k) => `${k}=${quote(group[k] ?? '')}`);
  return `${route.key}:{${parts.join(', ')}}`;
}
