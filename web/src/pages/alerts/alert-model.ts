// What the Alerts page decides without the server: severity levels from labels, an alert's muting state,
// the filters kept in the URL, matcher expressions, client-side matching (the silence preview's fallback)
// and grouping. No React here.
import { ROLES, TIERS, type GettableAlert, type Role, type SilenceMatcher, type Tier } from '../../api';
import { SEVERITY_ALIASES as SERVER_SEVERITY_ALIASES } from '../../../../src/kernel/severity';

// ---------------------------------------------------------------------------------------------
// Severity

/**
 * The server's own mapping of `severity` label values to P0–P3, shared with it (a pure kernel file),
 * compared trimmed and lower-cased. A deployment's own additions (`alerts.severity_map` in the
 * configuration) are not known here; the history answers carry the server's mapping and are used as
 * they are.
 */
const SEVERITY_ALIASES: Readonly<Record<string, Tier>> = SERVER_SEVERITY_ALIASES;

export const SEVERITY_COLORS: Readonly<Record<Tier, string>> = {
  P0: 'red',
  P1: 'orange',
  P2: 'gold',
  P3: 'blue',
};

/** The same colours, solid (antd's -6 shades), for a chosen severity filter. */
export const SEVERITY_SOLID: Readonly<Record<Tier, string>> = {
  P0: '#f5222d',
  P1: '#fa8c16',
  P2: '#faad14',
  P3: '#1677ff',
};

export const isTier = (s: string | null | undefined): s is Tier => TIERS.some((t) => t === s);

/** P0–P3 from the alert's `severity` label, or null when it has none or an unknown one. */
export function severityOf(labels: Readonly<Record<string, string>>): Tier | null {
  const v = labels.severity?.trim().toLowerCase();
  return v ? (SEVERITY_ALIASES[v] ?? null) : null;
}

/** Orders P0 first; alerts without a level last. */
export const severityRank = (s: Tier | null): number => (s === null ? TIERS.length : TIERS.indexOf(s));

// ---------------------------------------------------------------------------------------------
// Matchers (Alertmanager syntax)

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface MatcherRow {
  name: string;
  op: MatchOp;
  value: string;
}

const escapeValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** `name="value"`, quoted and escaped as Alertmanager prints it. */
export const formatMatcher = (m: MatcherRow): string => `${m.name}${m.op}"${escapeValue(m.value)}"`;

/** `{a="b", c=~"d"}`. */
export const formatMatchers = (rows: readonly MatcherRow[]): string =>
  `{${rows.map(formatMatcher).join(', ')}}`;

/** Escapes `s` so that a regular expression matches exactly it. */
export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One `=` matcher per label, sorted by name: these select exactly this alert (and any with more labels). */
export const exactMatchers = (labels: Readonly<Record<string, string>>): MatcherRow[] =>
  Object.keys(labels)
    .sort()
    .map((name) => ({ name, op: '=' as const, value: labels[name] ?? '' }));

export const toSilenceMatcher = (m: MatcherRow): SilenceMatcher => ({
  name: m.name,
  value: m.value,
  isRegex: m.op === '=~' || m.op === '!~',
  isEqual: m.op === '=' || m.op === '=~',
});

/** The editable row of an API matcher (`isEqual` absent means true, as in Alertmanager). */
export const fromSilenceMatcher = (m: SilenceMatcher): MatcherRow => ({
  name: m.name,
  value: m.value,
  op: m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=',
});

/**
 * A matcher as a predicate on a label value (a missing label is ""), regular expressions fully anchored as
 * Alertmanager anchors them. Browser regular expressions are not RE2: the rare pattern that differs is
 * judged by the server when the silence is saved. Throws SyntaxError for a pattern the browser cannot read.
 */
export function compileMatcher(m: MatcherRow): (labels: Readonly<Record<string, string>>) => boolean {
  let test: (v: string) => boolean;
  if (m.op === '=~' || m.op === '!~') {
    // RE2's leading (?i) has no equivalent inside a browser pattern; it becomes the `i` flag.
    const caseless = m.value.startsWith('(?i)');
    const re = new RegExp(`^(?:${caseless ? m.value.slice(4) : m.value})$`, caseless ? 'iu' : 'u');
    test = m.op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
  } else {
    test = m.op === '=' ? (v) => v === m.value : (v) => v !== m.value;
  }
  return (labels) => test(labels[m.name] ?? '');
}

/** True when the matcher also holds for an alert without the label (`a=""`, `a!="x"`, `a=~".*"`). */
export function matchesEmpty(m: MatcherRow): boolean {
  try {
    return compileMatcher(m)({});
  } catch {
    return false;
  }
}

/** The alerts for which every matcher holds; throws SyntaxError for an unreadable pattern. */
export function alertsMatching(
  alerts: readonly GettableAlert[],
  rows: readonly MatcherRow[],
): GettableAlert[] {
  const tests = rows.map(compileMatcher);
  return alerts.filter((a) => tests.every((test) => test(a.labels)));
}

// ---------------------------------------------------------------------------------------------
// Filters kept in the URL query

export const TABS = ['firing', 'history'] as const;
export type AlertsTab = (typeof TABS)[number];

export const GROUP_LABELS = ['alertname', 'service', 'platform', 'store', 'severity'] as const;
export type GroupLabel = (typeof GROUP_LABELS)[number];

export type HistoryState = 'firing' | 'resolved';

export interface AlertFilters {
  tab: AlertsTab;
  severities: Tier[];
  services: string[];
  /** Free-form Alertmanager matchers as the user wrote them. */
  matchers: string;
  /** Firing tab: the label rows are grouped by, or null for a flat list. */
  group: GroupLabel | null;
  /** History tab. */
  state: HistoryState | null;
  from: string | null;
  to: string | null;
}

const isoOrNull = (s: string | null): string | null =>
  s !== null && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : null;

export function readFilters(q: URLSearchParams): AlertFilters {
  const tab = q.get('tab');
  const group = q.get('group');
  const state = q.get('state');
  return {
    tab: TABS.find((t) => t === tab) ?? 'firing',
    severities: TIERS.filter((t) => q.getAll('severity').includes(t)),
    services: [...new Set(q.getAll('service').filter((s) => s !== ''))],
    matchers: q.get('matchers') ?? '',
    group: GROUP_LABELS.find((g) => g === group) ?? null,
    state: state === 'firing' || state === 'resolved' ? state : null,
    from: isoOrNull(q.get('from')),
    to: isoOrNull(q.get('to')),
  };
}

/** The query for `f`, leaving out defaults so that a shared link stays short. */
export function writeFilters(f: AlertFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.tab !== 'firing') q.set('tab', f.tab);
  for (const s of f.severities) q.append('severity', s);
  for (const s of f.services) q.append('service', s);
  if (f.matchers.trim() !== '') q.set('matchers', f.matchers);
  if (f.group !== null) q.set('group', f.group);
  if (f.state !== null) q.set('state', f.state);
  if (f.from !== null) q.set('from', f.from);
  if (f.to !== null) q.set('to', f.to);
  return q;
}

export const hasLabelFilters = (f: AlertFilters): boolean =>
  f.severities.length > 0 || f.services.length > 0 || f.matchers.trim() !== '';

/**
 * The shared filters as Alertmanager matcher expressions for the server, the user's own text first (the
 * server names the column of the first mistake it finds, which is then a column of that text). A level
 * is any `severity` label value the server maps to it, in any case.
 */
export function filterExpressions(f: AlertFilters): string[] {
  const out: string[] = [];
  if (f.matchers.trim() !== '') out.push(f.matchers.trim());
  if (f.severities.length > 0) {
    const values = Object.entries(SEVERITY_ALIASES)
      .filter(([, tier]) => f.severities.includes(tier))
      .map(([alias]) => alias);
    out.push(formatMatcher({ name: 'severity', op: '=~', value: `(?i)\\s*(${values.join('|')})\\s*` }));
  }
  if (f.services.length === 1)
    out.push(formatMatcher({ name: 'service', op: '=', value: f.services[0] ?? '' }));
  else if (f.services.length > 1)
    out.push(formatMatcher({ name: 'service', op: '=~', value: f.services.map(escapeRegex).join('|') }));
  return out;
}

/** The 1-based column the server's matcher error names (`column 12: expected ...`), if any. */
export function errorColumn(message: string): number | null {
  const m = /^column (\d+):/.exec(message);
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// State and grouping

export type MuteState = 'firing' | 'silenced' | 'inhibited' | 'muted';

/** How an alert stands: firing and notified, or muted by a silence, an inhibition or a time interval. */
export function muteState(a: GettableAlert): MuteState {
  if (a.status.silencedBy.length > 0) return 'silenced';
  if (a.status.inhibitedBy.length > 0) return 'inhibited';
  if (a.status.state === 'suppressed' || (a.status.mutedBy?.length ?? 0) > 0) return 'muted';
  return 'firing';
}

/** The value an alert is grouped under: its label, or for `severity` its level. */
export function groupValue(a: GettableAlert, by: GroupLabel): string {
  if (by === 'severity') return severityOf(a.labels) ?? '';
  return a.labels[by] ?? '';
}

export interface AlertGroup {
  value: string;
  alerts: GettableAlert[];
  /** The most severe level among the group's alerts. */
  worst: Tier | null;
}

/** Groups the alerts (kept in their order) by `by`; groups ordered by worst level, then size, then name. */
export function groupAlerts(alerts: readonly GettableAlert[], by: GroupLabel): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const value = groupValue(a, by);
    const g = groups.get(value) ?? { value, alerts: [], worst: null };
    g.alerts.push(a);
    const s = severityOf(a.labels);
    if (severityRank(s) < severityRank(g.worst)) g.worst = s;
    groups.set(value, g);
  }
  return [...groups.values()].sort(
    (x, y) =>
      severityRank(x.worst) - severityRank(y.worst) ||
      y.alerts.length - x.alerts.length ||
      (x.value === '' ? 1 : y.value === '' ? -1 : x.value.localeCompare(y.value)),
  );
}

/** Most severe first, then the most recently started. */
export function compareAlerts(a: GettableAlert, b: GettableAlert): number {
  return (
    severityRank(severityOf(a.labels)) - severityRank(severityOf(b.labels)) ||
    Date.parse(b.startsAt) - Date.parse(a.startsAt)
  );
}

/** Responders and above may create silences (the server checks again). */
export const canSilence = (role: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf('responder');
