// Pure: Watchpost's four severities and the words other tools use for them. Labels are never
// rewritten (that would change the fingerprint other tools compute): the mapped value is stored
// beside them, and rules that must match "P0 or P1" match every word that means it.
import type { Labels } from './labels.js';

export type Severity = 'P0' | 'P1' | 'P2' | 'P3';

export const SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2', 'P3'];

/** `severity` label values (lower case) and the severity each means. */
export const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  p0: 'P0',
  p1: 'P1',
  p2: 'P2',
  p3: 'P3',
  critical: 'P0',
  page: 'P0',
  emergency: 'P0',
  error: 'P1',
  major: 'P1',
  high: 'P1',
  warning: 'P2',
  warn: 'P2',
  minor: 'P2',
  medium: 'P2',
  info: 'P3',
  notice: 'P3',
  low: 'P3',
  none: 'P3',
};

/** The P0–P3 severity of an alert from its `severity` label; `overrides` (lower-case keys) win. */
export function severityOf(
  labels: Labels,
  overrides: Readonly<Record<string, Severity>> = {},
): Severity | null {
  const v = labels.severity?.trim().toLowerCase();
  if (!v) return null;
  return overrides[v] ?? SEVERITY_ALIASES[v] ?? null;
}

/**
 * An anchored, case-insensitive regular expression (RE2 syntax) matching every `severity` label
 * value that means `worst` or worse, e.g. `(?i:p0|p1|critical|…)` for P1.
 */
export function severityAtLeastRegex(worst: Severity): string {
  const rank = SEVERITIES.indexOf(worst);
  const words = Object.entries(SEVERITY_ALIASES)
    .filter(([, s]) => SEVERITIES.indexOf(s) <= rank)
    .map(([w]) => w);
  return `(?i:${words.join('|')})`;
}
