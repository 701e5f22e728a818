// The `maintenance_windows` section: what its schema (schema.ts) cannot say, and its normalised
// form (model.ts). Pure. The rules are alerts/maintenance.ts's `validateWindow`, so a window the
// file declares is valid exactly when the same window posted to the API would be; its problems are
// reported at the file's own keys (`maintenance_windows[2].weekly.start`).
//
// Default time zone: the zone of the machine loading the file (as Alertmanager's `Local`), fixed
// when it is loaded. Instances in different zones sharing one database should set time_zone.

import { parseDuration } from '../kernel/duration.js';
import type { Matcher } from '../kernel/matchers.js';
import { parseMatchers } from '../kernel/matchers.js';
import { canonicalTimeZone } from '../kernel/time-interval.js';
import type { MaintenanceSchedule, Weekday } from '../alerts/maintenance.js';
import { parseDateTimeIn, validateWindow } from '../alerts/maintenance.js';
import { checkDuration, checkUnique, get, type Report } from './checks.js';
import type { MaintenanceWindowDecl } from './model.js';
import type { ConfigPath } from './problems.js';
import type { ConfigFile } from './schema.js';

const SCHEDULE_KEYS = ['once', 'cron', 'weekly', 'monthly'] as const;
type ScheduleKey = (typeof SCHEDULE_KEYS)[number];

type WindowFile = ConfigFile['maintenance_windows'][number];

const DATE_TIME_MESSAGE =
  'must be a date-time such as 2026-12-01T02:00:00+08:00, or 2026-12-01 02:00 (read in time_zone)';

const localZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zone a window is read in: its own (canonical), else the machine's; null when unknown. */
function zoneOf(w: unknown): string | null {
  const z = get(w, 'time_zone');
  if (z === undefined) return localZone();
  if (typeof z !== 'string') return null;
  try {
    return canonicalTimeZone(z);
  } catch {
    return null;
  }
}

/**
 * The schedule a window declares, from the file as parsed: it may not have passed the schema yet,
 * so every value is looked at before it is used (a malformed one becomes a value validateWindow
 * rejects, at a key the schema has already reported).
 */
function scheduleOf(w: unknown, zone: string): MaintenanceSchedule {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.slice() as T[]) : []);
  const time = (v: unknown): number => (typeof v === 'string' ? (parseDateTimeIn(v, zone) ?? NaN) : NaN);
  const once = get(w, 'once');
  if (once !== undefined)
    return { kind: 'once', startsAt: time(get(once, 'starts_at')), endsAt: time(get(once, 'ends_at')) };
  for (const kind of ['weekly', 'monthly'] as const) {
    const v = get(w, kind);
    if (v === undefined) continue;
    const start = text(get(v, 'start'));
    const end = text(get(v, 'end'));
    return kind === 'weekly'
      ? { kind, days: list<Weekday>(get(v, 'days')), start, end }
      : { kind, days: list<number>(get(v, 'days')), start, end };
  }
  let durationMs = NaN;
  const duration = get(w, 'duration');
  try {
    if (typeof duration === 'string') durationMs = parseDuration(duration);
  } catch {
    // Reported by checkMaintenanceWindows.
  }
  return { kind: 'cron', cron: text(get(w, 'cron')), durationMs };
}

/** Where a problem validateWindow reports (a JSON pointer of the API body) is in the file. */
function fileKey(pointer: string, kind: ScheduleKey): (string | number)[] {
  const [, top, field, index] = pointer.split('/');
  switch (top) {
    case 'name':
      return ['name'];
    case 'matchers':
      return ['matchers'];
    case 'timeZone':
      return ['time_zone'];
    case 'mode':
      return ['mode'];
    case 'schedule':
      switch (field) {
        case 'startsAt':
          return ['once', 'starts_at'];
        case 'endsAt':
          return ['once', 'ends_at'];
        case 'cron':
          return ['cron'];
        case 'duration':
          return ['duration'];
        case 'days':
          return index === undefined ? [kind, 'days'] : [kind, 'days', Number(index)];
        case 'start':
        case 'end':
          return [kind, field];
        default:
          return [];
      }
    default:
      return [];
  }
}

const fileWords = (message: string): string =>
  message.replace(/\bendsAt\b/g, 'ends_at').replace(/\bstartsAt\b/g, 'starts_at');

/** Reports every problem of the `maintenance_windows` section, each at its key. */
export function checkMaintenanceWindows(root: unknown, report: Report): void {
  const list = get(root, 'maintenance_windows');
  checkUnique(list, ['maintenance_windows'], 'name', 'maintenance window name', report);
  if (!Array.isArray(list)) return;
  list.forEach((w: unknown, i) => {
    const at = (...rest: (string | number)[]): ConfigPath => ['maintenance_windows', i, ...rest];
    let matchersParsed = true;
    const bad = report;

    const kinds = SCHEDULE_KEYS.filter((k) => get(w, k) !== undefined);
    const [kind, second] = kinds;
    if (kind === undefined)
      bad(at(), 'needs a schedule: exactly one of once, cron (with duration), weekly or monthly');
    else if (second !== undefined)
      bad(
        at(second),
        `one schedule per window: this one already has ${kind}; declare a second window instead`,
      );
    const duration = get(w, 'duration');
    if (duration !== undefined && kind !== 'cron')
      bad(at('duration'), 'only used with cron: remove it, or add cron');
    if (kind === 'cron' && duration === undefined)
      bad(at('duration'), 'required with cron: how long each firing lasts, e.g. 2h');
    checkDuration(duration, at('duration'), (p, m) => bad(p, m));

    const matchers: Matcher[] = [];
    const lines = get(w, 'matchers');
    if (Array.isArray(lines))
      lines.forEach((line: unknown, j) => {
        if (typeof line !== 'string') return;
        try {
          matchers.push(...parseMatchers(line));
        } catch (e) {
          bad(at('matchers', j), `invalid matcher ${JSON.stringify(line)}: ${(e as Error).message}`);
          matchersParsed = false;
        }
      });

    const zoneText = get(w, 'time_zone');
    const zone = zoneOf(w);
    if (typeof zoneText === 'string' && zone === null) {
      try {
        canonicalTimeZone(zoneText);
      } catch (e) {
        bad(at('time_zone'), (e as Error).message);
      }
    }
    const once = get(w, 'once');
    for (const key of ['starts_at', 'ends_at']) {
      const v = get(once, key);
      if (typeof v === 'string' && parseDateTimeIn(v, zone ?? 'UTC') === null)
        bad(at('once', key), DATE_TIME_MESSAGE);
    }

    // The rest is validateWindow's. A key reported above is reported once (load.ts keeps the first).
    if (kind === undefined || typeof get(w, 'name') !== 'string') return;
    const problems = validateWindow({
      name: get(w, 'name') as string,
      matchers,
      schedule: scheduleOf(w, zone ?? 'UTC'),
      timeZone: zone ?? String(zoneText),
      mode: get(w, 'mode') as WindowFile['mode'],
      comment: '',
    }).filter((p) => matchersParsed || !p.path.startsWith('/matchers'));
    for (const p of problems) report(at(...fileKey(p.path, kind)), fileWords(p.message));
  });
}

/** The declared windows, normalised; the section must have passed checkMaintenanceWindows. */
export function buildMaintenanceWindows(list: ConfigFile['maintenance_windows']): MaintenanceWindowDecl[] {
  return list.map((w) => {
    const zone = zoneOf(w) ?? 'UTC';
    return {
      name: w.name.trim(),
      matchers: w.matchers.flatMap((line) => parseMatchers(line)),
      schedule: scheduleOf(w, zone),
      timeZone: zone,
      mode: w.mode,
      comment: w.comment ?? '',
    };
  });
}
