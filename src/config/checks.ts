// Helpers for the checks a schema cannot express, shared by load.ts and alertmanager.check.ts.
// They run on the file as parsed, before it is known to be well-formed, so each looks before it
// trusts a shape and reports through a callback rather than throwing.

import { parseDuration } from '../kernel/duration.js';
import { formatPath, type ConfigPath } from './problems.js';

export type Report = (p: ConfigPath, message: string) => void;

export type JsonObject = Record<string, unknown>;
export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const get = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Reports a string that is not a duration, or is 0 unless `allowZero`. Non-strings are the schema's to report. */
export function checkDuration(v: unknown, p: ConfigPath, report: Report, allowZero = false): void {
  if (typeof v !== 'string') return;
  try {
    if (parseDuration(v) === 0 && !allowZero) report(p, 'must be longer than 0');
  } catch (e) {
    report(p, (e as Error).message);
  }
}

/** Reports the second and later items of `list` whose `key` repeats an earlier one's. */
export function checkUnique(
  list: unknown,
  listPath: ConfigPath,
  key: string,
  what: string,
  report: Report,
): void {
  if (!Array.isArray(list)) return;
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const v = get(item, key);
    if (typeof v !== 'string') return;
    const j = first.get(v);
    if (j === undefined) first.set(v, i);
    else
      report(
        [...listPath, i, key],
        `duplicate ${what} ${JSON.stringify(v)} (also at ${formatPath([...listPath, j])})`,
      );
  });
}
