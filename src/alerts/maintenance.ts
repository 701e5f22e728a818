// Pure: what a maintenance window is, when it is in effect, and what makes one valid.
//
// A window is a schedule read in one IANA time zone plus matchers that pick the alerts it covers.
// Schedules: one-off (`once`), a cron expression with a duration (`cron`, parsed by croner), the
// same times on some weekdays (`weekly`) or on some days of the month (`monthly`). For `weekly`
// and `monthly`, an end at or before the start runs past midnight into the next day (22:00–06:00;
// 00:00–00:00 is a whole day).
//
// Wall-clock times are turned into instants with Intl, so this needs no time-zone database of its
// own. Daylight saving time, for weekly, monthly and cron alike (croner does the same for fixed-time
// crons): a time that does not exist on a spring-forward day (02:30 in Europe/Berlin on the last
// Sunday of March) starts at the first valid instant after the gap (03:00); a time that occurs twice
// on a fall-back day is taken at its first occurrence (the summer-time one). A window 22:00–06:00
// across such a night is therefore an hour shorter or longer than usual.

import { Cron } from 'croner';
import type { ErrorDetail } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import type { CompiledMatcher, Matcher } from '../kernel/matchers.js';
import { compileMatcher, matchesAll } from '../kernel/matchers.js';
import { canonicalTimeZone } from '../kernel/time-interval.js';
import { validateMatchers } from './silence.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * `mute`: notifications about matching alerts are not sent while the window is active (like a
 * silence). `expected`: the same, and the alerts are also marked as expected (caused by the
 * maintenance), so reports and incident statistics can leave them out.
 */
export const MAINTENANCE_MODES = ['mute', 'expected'] as const;
export type MaintenanceMode = (typeof MAINTENANCE_MODES)[number];

export const SCHEDULE_KINDS = ['once', 'cron', 'weekly', 'monthly'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** Where a window comes from: made through the API/UI, or declared by the configuration file (read-only). */
export type MaintenanceSource = 'api' | 'config';

export type MaintenanceSchedule =
  /** Epoch ms; the end is excluded. */
  | { kind: 'once'; startsAt: number; endsAt: number }
  /** Each time the five-field cron expression fires (read in the window's zone), for `durationMs`. */
  | { kind: 'cron'; cron: string; durationMs: number }
  /** On each of `days`, from `start` (HH:MM) to `end`; an end ≤ start is on the next day. */
  | { kind: 'weekly'; days: Weekday[]; start: string; end: string }
  /** On each of `days` (1…31, -1 = the last day of the month); a day the month lacks is skipped. */
  | { kind: 'monthly'; days: number[]; start: string; end: string };

export interface MaintenanceWindow {
  id: string;
  name: string;
  /** All must hold for an alert to be covered; a missing label counts as "". */
  matchers: Matcher[];
  schedule: MaintenanceSchedule;
  /** Canonical IANA zone the schedule is read in, e.g. `Asia/Shanghai`. */
  timeZone: string;
  mode: MaintenanceMode;
  comment: string;
  createdBy: string;
  source: MaintenanceSource;
  /** For `source: 'config'`: the file that declares it (edit it there). Null otherwise. */
  managedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a client or the configuration file gives; the rest is filled in by the service. */
export type MaintenanceWindowInput = Pick<
  MaintenanceWindow,
  'name' | 'matchers' | 'schedule' | 'timeZone' | 'mode' | 'comment'
>;

/** One time a window is in effect: `startsAt` included, `endsAt` excluded, epoch ms. */
export interface Occurrence {
  startsAt: number;
  endsAt: number;
}

/** The windows covering one alert, for the mute decision and for showing why it was suppressed. */
export interface WindowMatch {
  id: string;
  name: string;
  mode: MaintenanceMode;
}

/** Most occurrences `occurrences` returns for one window (a calendar range is capped elsewhere too). */
export const MAX_OCCURRENCES = 1000;

/** Most raw schedule firings examined per call, so a cron firing every minute cannot stall a request. */
const MAX_FIRINGS = 10 * MAX_OCCURRENCES;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A window ready to be evaluated many times: matchers compiled, cron parsed, zone formatter built. */
export interface CompiledWindow {
  readonly window: MaintenanceWindow;
  readonly matchers: readonly CompiledMatcher[];
  /** @internal How the schedule is evaluated; use the functions of this module. */
  readonly plan: Plan;
}

interface Plan {
  /** No occurrence lasts longer than this, so one containing `t` starts after `t - maxDurationMs`. */
  readonly maxDurationMs: number;
  /** Occurrences starting in [a, b), in order, at most `MAX_FIRINGS`. */
  readonly startingIn: (a: number, b: number) => Occurrence[];
  /** Cron only: the occurrence with the latest start at or before `t` (every firing lasts as long, so it ends last). */
  readonly latestStartingBy?: (t: number) => Occurrence | null;
  /** Cron only: the first occurrence starting strictly after `t`. */
  readonly firstStartingAfter?: (t: number) => Occurrence | null;
}

// ---------------------------------------------------------------------------------------------
// Wall-clock time in a zone

interface ZoneClock {
  /** The zone's offset from UTC at instant `t`, in ms (Berlin in summer: +7 200 000). */
  offset(t: number): number;
  /** The calendar day (as a UTC-midnight day number) that instant `t` falls on in the zone. */
  dayOf(t: number): number;
  /**
   * The instant at which the zone's clocks show `local` (a wall-clock time written as if it were
   * UTC). A time skipped by a spring-forward gap gives the first instant after the gap; a time that
   * occurs twice gives the first.
   */
  instant(local: number): number;
}

function zoneClock(zone: string): ZoneClock {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  /** Wall-clock time at `t` (whole seconds), written as if it were UTC. */
  const local = (t: number): number => {
    const p: Record<string, number> = {};
    for (const x of f.formatToParts(t)) if (x.type !== 'literal') p[x.type] = Number(x.value);
    return Date.UTC(
      p.year ?? 1970,
      (p.month ?? 1) - 1,
      p.day ?? 1,
      (p.hour ?? 0) % 24,
      p.minute ?? 0,
      p.second ?? 0,
    );
  };
  const offset = (t: number): number => local(t) - (t - (((t % 1000) + 1000) % 1000));
  return {
    offset,
    dayOf: (t) => Math.floor(local(t) / DAY_MS),
    instant(wall) {
      // Offsets a day either side: no zone changes its offset twice within two days.
      const before = offset(wall - DAY_MS);
      const after = offset(wall + DAY_MS);
      const candidates = [...new Set([wall - before, wall - after])].sort((a, b) => a - b);
      for (const t of candidates) if (t + offset(t) === wall) return t;
      if (after <= before) return wall - before;
      // A spring-forward gap: the transition lies between the two candidates; find its first second.
      let lo = wall - after; // still on the old offset
      let hi = wall - before; // already on the new one
      const old = offset(lo);
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offset(mid) === old) lo = mid;
        else hi = mid;
      }
      return hi;
    },
  };
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms of a date-time as people write it in a configuration file: with an offset or `Z`
 * (`2026-12-01T02:00:00+08:00`), or without one (`2026-12-01 02:00`), then read as a wall-clock
 * time in `zone` (with the DST rules above). Null when it is neither.
 */
export function parseDateTimeIn(s: string, zone: string): number | null {
  const t = s.trim();
  if (OFFSET_DATE_TIME.test(t)) {
    const ms = Date.parse(t.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : ms;
  }
  const m = LOCAL_DATE_TIME.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(wall);
  // Date.UTC rolls 31 April over into May: refuse instead.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return zoneClock(zone).instant(wall);
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since midnight of `HH:MM` (00:00–23:59; `24:00` too when `allow24`), or null when malformed. */
function minuteOfDay(s: unknown, allow24 = false): number | null {
  if (typeof s !== 'string') return null;
  if (allow24 && s === '24:00') return 1440;
  const m = HHMM.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

// ---------------------------------------------------------------------------------------------
// Plans per schedule kind

function oncePlan(s: { startsAt: number; endsAt: number }): Plan {
  const occurrence = { startsAt: s.startsAt, endsAt: s.endsAt };
  return {
    maxDurationMs: Math.max(0, s.endsAt - s.startsAt),
    startingIn: (a, b) => (s.startsAt >= a && s.startsAt < b && s.endsAt > s.startsAt ? [occurrence] : []),
    latestStartingBy: (t) => (s.startsAt <= t && s.endsAt > s.startsAt ? occurrence : null),
  };
}

function cronPlan(expr: string, durationMs: number, zone: string): Plan {
  const cron = new Cron(expr, { timezone: zone, mode: '5-part' });
  return {
    maxDurationMs: durationMs,
    startingIn(a, b) {
      const out: Occurrence[] = [];
      // nextRun is strictly after its argument.
      for (let d = cron.nextRun(new Date(a - 1)); d && d.getTime() < b; d = cron.nextRun(d)) {
        out.push({ startsAt: d.getTime(), endsAt: d.getTime() + durationMs });
        if (out.length >= MAX_FIRINGS) break;
      }
      return out;
    },
    latestStartingBy(t) {
      // previousRuns is strictly before its reference.
      const [d] = cron.previousRuns(1, new Date(t + 1));
      return d ? { startsAt: d.getTime(), endsAt: d.getTime() + durationMs } : null;
    },
    firstStartingAfter(t) {
      const d = cron.nextRun(new Date(t));
      return d ? { startsAt: d.getTime(), endsAt: d.getTime() + durationMs } : null;
    },
  };
}

/** Weekly and monthly: the same wall-clock times on the calendar days `onDay` accepts. */
function wallClockPlan(zone: string, start: string, end: string, onDay: (date: Date) => boolean): Plan {
  const clock = zoneClock(zone);
  const startMinute = minuteOfDay(start) ?? 0;
  const rawEnd = minuteOfDay(end, true) ?? 0;
  const endMinute = rawEnd <= startMinute ? rawEnd + 1440 : rawEnd;
  return {
    // A day plus a fall-back hour, with room to spare for zones that move by more.
    maxDurationMs: 2 * DAY_MS,
    startingIn(a, b) {
      const out: Occurrence[] = [];
      // A start is on its own calendar day, or pushed into the next one by a gap at midnight.
      const last = clock.dayOf(b);
      for (let day = clock.dayOf(a) - 1; day <= last; day += 1) {
        const midnight = day * DAY_MS;
        if (!onDay(new Date(midnight))) continue;
        const startsAt = clock.instant(midnight + startMinute * MINUTE_MS);
        if (startsAt < a || startsAt >= b) continue;
        const endsAt = clock.instant(midnight + endMinute * MINUTE_MS);
        // A start pushed to the end of a gap may meet its end: nothing left to be in effect.
        if (endsAt > startsAt) out.push({ startsAt, endsAt });
        if (out.length >= MAX_FIRINGS) break;
      }
      return out;
    },
  };
}

/** `Date.getUTCDay()` (0 = Sunday) → Weekday. */
const WEEKDAY_OF_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function planOf(s: MaintenanceSchedule, zone: string): Plan {
  switch (s.kind) {
    case 'once':
      return oncePlan(s);
    case 'cron':
      return cronPlan(s.cron, s.durationMs, zone);
    case 'weekly': {
      const days = new Set(s.days);
      return wallClockPlan(zone, s.start, s.end, (d) => days.has(WEEKDAY_OF_UTC_DAY[d.getUTCDay()] ?? 'sun'));
    }
    case 'monthly': {
      const days = new Set(s.days);
      return wallClockPlan(zone, s.start, s.end, (d) => {
        const dom = d.getUTCDate();
        if (days.has(dom)) return true;
        const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
        return dom === daysInMonth && days.has(-1);
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Compiles `w` once for repeated evaluation. Throws DomainError('invalid') for a bad regular expression or cron (validate first). */
export function compileWindow(w: MaintenanceWindow): CompiledWindow {
  return { window: w, matchers: w.matchers.map(compileMatcher), plan: planOf(w.schedule, w.timeZone) };
}

/** Occurrences starting in [a, b), sorted, merged where one begins before the previous one ends (or as it ends). */
function merged(raw: readonly Occurrence[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const o of [...raw].sort((x, y) => x.startsAt - y.startsAt)) {
    const last = out.at(-1);
    if (last && o.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, o.endsAt);
    else out.push({ ...o });
  }
  return out;
}

/** True exactly when some occurrence of the window contains `now` (start included, end excluded). */
export function activeAt(cw: CompiledWindow, now: number): boolean {
  const { plan } = cw;
  if (plan.latestStartingBy) {
    const o = plan.latestStartingBy(now);
    return o !== null && now < o.endsAt;
  }
  return plan.startingIn(now - plan.maxDurationMs, now + 1).some((o) => o.endsAt > now);
}

/**
 * The times the window is in effect that overlap [from, to), in order, at most MAX_OCCURRENCES.
 * Occurrences that overlap or touch are merged into one (a cron every hour lasting two hours is
 * one long occurrence). One cut by the range keeps its start and end outside it, except that a
 * series that never pauses is only followed as far as the range (and the longest occurrence) reach.
 */
export function occurrences(cw: CompiledWindow, from: number, to: number): Occurrence[] {
  if (!(to > from)) return [];
  const raw = cw.plan.startingIn(from - cw.plan.maxDurationMs, to).filter((o) => o.endsAt > from);
  return merged(raw).slice(0, MAX_OCCURRENCES);
}

/** How far ahead nextStart looks for weekly and monthly schedules: every listed day recurs within it. */
const NEXT_HORIZON_MS = 63 * DAY_MS;

/**
 * When the window next begins after `now` (an occurrence start strictly after `now` that does not
 * just continue an occurrence in effect before it), or null when it never will (a past one-off
 * window, a cron that never fires again, a recurring window that never stops).
 */
export function nextStart(cw: CompiledWindow, now: number): number | null {
  const s = cw.window.schedule;
  switch (s.kind) {
    case 'once':
      return s.startsAt > now && s.endsAt > s.startsAt ? s.startsAt : null;
    case 'weekly':
    case 'monthly':
      return occurrences(cw, now, now + NEXT_HORIZON_MS).find((o) => o.startsAt > now)?.startsAt ?? null;
    case 'cron': {
      const { latestStartingBy, firstStartingAfter } = cw.plan;
      if (!latestStartingBy || !firstStartingAfter) return null;
      // From the end of the block in effect (or now), take the next firing; when the firing before
      // it has not ended by then, it only extends the block: go on from its end.
      const current = latestStartingBy(now);
      let after = current && current.endsAt > now ? current.endsAt : now;
      for (let i = 0; i < MAX_OCCURRENCES; i += 1) {
        const next = firstStartingAfter(after);
        if (!next) return null;
        const before = latestStartingBy(next.startsAt - 1);
        if (!before || before.endsAt < next.startsAt) return next.startsAt;
        after = next.endsAt;
      }
      return null;
    }
  }
}

/**
 * The windows among `cws` that are active at `now` and whose every matcher holds for `labels`, in
 * the given order.
 */
export function windowsMatching(cws: readonly CompiledWindow[], labels: Labels, now: number): WindowMatch[] {
  const out: WindowMatch[] = [];
  for (const cw of cws)
    if (matchesAll(cw.matchers, labels) && activeAt(cw, now))
      out.push({ id: cw.window.id, name: cw.window.name, mode: cw.window.mode });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation

const NAME_MAX = 200;

/** croner's message without its class-name prefix, with the form to write. */
function cronProblem(expr: unknown, zone: string | null): string | null {
  if (typeof expr !== 'string' || expr.trim() === '')
    return 'required: a cron expression with five fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * 0" for Sundays at 02:00';
  let cron: Cron;
  try {
    cron = new Cron(expr, { mode: '5-part', ...(zone ? { timezone: zone } : {}) });
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^Cron\w*: /, '');
    return `invalid cron expression ${JSON.stringify(expr)}: ${reason}; write five fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * 0" for Sundays at 02:00`;
  }
  if (cron.nextRun(new Date(0)) === null)
    return `cron expression ${JSON.stringify(expr)} never fires: no date matches its day and month fields (such as 30 February)`;
  return null;
}

function timeProblems(s: { start?: unknown; end?: unknown }, problems: ErrorDetail[]): void {
  if (s.start === undefined)
    problems.push({
      path: '/schedule/start',
      message: 'required: when it starts each day, HH:MM, e.g. "22:00"',
    });
  else if (minuteOfDay(s.start) === null)
    problems.push({
      path: '/schedule/start',
      message: `start ${JSON.stringify(s.start ?? null)} is not HH:MM: write a time from 00:00 to 23:59, e.g. "02:00"`,
    });
  if (s.end === undefined)
    problems.push({
      path: '/schedule/end',
      message:
        'required: when it ends, HH:MM, e.g. "06:00" (an end at or before the start is on the next day)',
    });
  else if (minuteOfDay(s.end, true) === null)
    problems.push({
      path: '/schedule/end',
      message: `end ${JSON.stringify(s.end ?? null)} is not HH:MM: write a time from 00:00 to 24:00, e.g. "06:00" (an end at or before the start is on the next day)`,
    });
}

function dayProblems<T>(
  days: unknown,
  valid: (d: unknown) => d is T,
  describe: string,
  problems: ErrorDetail[],
): void {
  if (!Array.isArray(days) || days.length === 0) {
    problems.push({ path: '/schedule/days', message: `at least one day is required: ${describe}` });
    return;
  }
  days.forEach((d: unknown, i) => {
    if (!valid(d))
      problems.push({
        path: `/schedule/days/${i}`,
        message: `${JSON.stringify(d)} is not a day: ${describe}`,
      });
    else if (days.indexOf(d) < i)
      problems.push({
        path: `/schedule/days/${i}`,
        message: `${JSON.stringify(d)} is listed twice: remove one`,
      });
  });
}

const isWeekday = (d: unknown): d is Weekday => (WEEKDAYS as readonly unknown[]).includes(d);
const isMonthDay = (d: unknown): d is number =>
  typeof d === 'number' && Number.isInteger(d) && ((d >= 1 && d <= 31) || d === -1);

/**
 * Every problem of a window to be stored, with JSON pointers into the API's body (`/name`,
 * `/matchers/0/value`, `/timeZone`, `/schedule/cron`, `/schedule/duration`, `/schedule/days/2`, …)
 * and what to write instead: a name, matchers as for a silence (at least one that does not match
 * the empty string), a known IANA zone, and a schedule that can be in effect. Empty when valid.
 */
export function validateWindow(input: MaintenanceWindowInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (typeof input.name !== 'string' || input.name.trim() === '')
    problems.push({
      path: '/name',
      message: 'required: a name people will recognise, e.g. "ERP weekly backup"',
    });
  else if (input.name.length > NAME_MAX)
    problems.push({ path: '/name', message: `at most ${NAME_MAX} characters` });

  problems.push(...validateMatchers(input.matchers));

  let zone: string | null = null;
  try {
    zone = canonicalTimeZone(input.timeZone);
  } catch (e) {
    problems.push({ path: '/timeZone', message: (e as Error).message });
  }

  if (!(MAINTENANCE_MODES as readonly unknown[]).includes(input.mode))
    problems.push({
      path: '/mode',
      message: `must be mute (notifications only) or expected (also mark the alerts as expected), got ${JSON.stringify(input.mode)}`,
    });

  const s = input.schedule;
  switch (s.kind) {
    case 'once':
      if (!Number.isFinite(s.startsAt))
        problems.push({ path: '/schedule/startsAt', message: 'required: a date-time' });
      if (!Number.isFinite(s.endsAt))
        problems.push({ path: '/schedule/endsAt', message: 'required: a date-time' });
      else if (Number.isFinite(s.startsAt) && !(s.endsAt > s.startsAt))
        problems.push({ path: '/schedule/endsAt', message: 'endsAt must be after startsAt' });
      break;
    case 'cron': {
      const bad = cronProblem(s.cron, zone);
      if (bad) problems.push({ path: '/schedule/cron', message: bad });
      if (!Number.isFinite(s.durationMs))
        problems.push({
          path: '/schedule/duration',
          message: 'required: how long each firing lasts, e.g. 2h or 90m',
        });
      else if (s.durationMs <= 0)
        problems.push({ path: '/schedule/duration', message: 'must be longer than 0, e.g. 2h or 90m' });
      break;
    }
    case 'weekly':
      dayProblems(s.days, isWeekday, `use ${WEEKDAYS.join(', ')}`, problems);
      timeProblems(s, problems);
      break;
    case 'monthly':
      dayProblems(s.days, isMonthDay, 'use 1 to 31, or -1 for the last day of the month', problems);
      timeProblems(s, problems);
      break;
    default:
      problems.push({
        path: '/schedule/kind',
        message: `must be one of ${SCHEDULE_KINDS.join(', ')}, got ${JSON.stringify((s as { kind?: unknown }).kind ?? null)}`,
      });
  }
  return problems;
}
