// What the Maintenance page decides without the server: the form's values to and from a window, where
// each of the server's error pointers goes in the form, how a schedule reads, and the calendar's days.
// No React here.
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import {
  WEEKDAYS,
  type MaintenanceInput,
  type MaintenanceMode,
  type MaintenanceOccurrence,
  type MaintenanceSchedule,
  type MaintenanceWindow,
  type Weekday,
} from '../../api';
import { fromSilenceMatcher, toSilenceMatcher, type MatcherRow } from '../alerts/alert-model';

export const SCHEDULE_KINDS = ['once', 'cron', 'weekly', 'monthly'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const MODES: readonly MaintenanceMode[] = ['mute', 'expected'];

/** Calendar colours: muted windows blue, expected (alerts caused by the work) orange. */
export const MODE_COLORS: Readonly<Record<MaintenanceMode, string>> = { mute: 'blue', expected: 'orange' };

export interface WindowForm {
  name: string;
  matchers: MatcherRow[];
  kind: ScheduleKind;
  /** once */
  range?: [Dayjs, Dayjs] | null;
  /** cron */
  cron?: string;
  duration?: string;
  /** weekly */
  weekdays?: Weekday[];
  /** monthly: 1…31, -1 the last day */
  monthdays?: number[];
  /** weekly and monthly, HH:MM; an end at or before the start is on the next day */
  start?: string;
  end?: string;
  timeZone: string;
  mode: MaintenanceMode;
  comment: string;
}

/** HH:MM from 00:00 to 23:59 (and 24:00 for an end). */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const HHMM_END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** A Prometheus-style duration as the server reads it: 2h, 90m, 1h30m, 1d. */
export const DURATION = /^(\d+(ms|[smhdwy]))+$/;

/** The browser's own IANA zone, the default for a new window. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Every zone the browser knows, with UTC; `extra` (a window's own zone) is kept even if unknown here. */
export function timeZones(extra: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...known, extra])].sort();
}

export function emptyForm(): WindowForm {
  return {
    name: '',
    matchers: [{ name: '', op: '=', value: '' }],
    kind: 'weekly',
    range: null,
    cron: '0 2 * * 0',
    duration: '2h',
    weekdays: [],
    monthdays: [],
    start: '02:00',
    end: '04:00',
    timeZone: browserTimeZone(),
    mode: 'mute',
    comment: '',
  };
}

export function toForm(w: MaintenanceWindow): WindowForm {
  const base = { ...emptyForm(), name: w.name, timeZone: w.timeZone, mode: w.mode, comment: w.comment };
  const matchers = w.matchers.map(fromSilenceMatcher);
  const s = w.schedule;
  switch (s.kind) {
    case 'once':
      return { ...base, matchers, kind: 'once', range: [dayjs(s.startsAt), dayjs(s.endsAt)] };
    case 'cron':
      return { ...base, matchers, kind: 'cron', cron: s.cron, duration: s.duration };
    case 'weekly':
      return { ...base, matchers, kind: 'weekly', weekdays: s.days, start: s.start, end: s.end };
    case 'monthly':
      return { ...base, matchers, kind: 'monthly', monthdays: s.days, start: s.start, end: s.end };
  }
}

function scheduleOf(v: WindowForm): MaintenanceSchedule {
  const start = v.start?.trim() ?? '';
  const end = v.end?.trim() ?? '';
  switch (v.kind) {
    case 'once':
      return {
        kind: 'once',
        startsAt: v.range?.[0].toISOString() ?? '',
        endsAt: v.range?.[1].toISOString() ?? '',
      };
    case 'cron':
      return { kind: 'cron', cron: v.cron?.trim() ?? '', duration: v.duration?.trim() ?? '' };
    case 'weekly':
      // In week order, whatever order they were ticked in.
      return { kind: 'weekly', days: WEEKDAYS.filter((d) => v.weekdays?.includes(d)), start, end };
    case 'monthly':
      return { kind: 'monthly', days: [...(v.monthdays ?? [])].sort(monthDayOrder), start, end };
  }
}

/** 1…31 in order, the last day (-1) after them. */
const monthDayOrder = (a: number, b: number): number => (a === -1 ? 32 : a) - (b === -1 ? 32 : b);

export function toInput(v: WindowForm): MaintenanceInput {
  return {
    name: v.name.trim(),
    matchers: v.matchers.map((m) => toSilenceMatcher({ ...m, name: m.name.trim() })),
    schedule: scheduleOf(v),
    timeZone: v.timeZone,
    mode: v.mode,
    comment: v.comment.trim(),
  };
}

/**
 * The form field a server error pointer names (`/schedule/days/2` → `monthdays` or `weekdays`,
 * `/schedule/startsAt` → `range`, `/matchers/1/value` → that row's value), or null for none.
 */
export function fieldOf(pointer: string, kind: ScheduleKind): (string | number)[] | null {
  const [top, second, third, fourth] = pointer.replace(/^\//, '').split('/');
  switch (top) {
    case 'name':
    case 'timeZone':
    case 'mode':
    case 'comment':
      return [top];
    case 'matchers':
      if (second !== undefined && /^\d+$/.test(second) && third !== undefined && fourth === undefined)
        return ['matchers', Number(second), third === 'isRegex' || third === 'isEqual' ? 'op' : third];
      return ['matchers'];
    case 'schedule':
      switch (second) {
        case 'startsAt':
        case 'endsAt':
          return ['range'];
        case 'cron':
        case 'duration':
        case 'start':
        case 'end':
        case 'kind':
          return [second];
        case 'days':
          return [kind === 'monthly' ? 'monthdays' : 'weekdays'];
        default:
          return ['kind'];
      }
    default:
      return null;
  }
}

/** How the schedule reads: "Mon, Wed 22:00–06:00", "Days 1, 15, last 02:00–04:00", "cron 0 2 * * 0, 2h". */
export function describeSchedule(
  s: MaintenanceSchedule,
  t: TFunction,
  format: (iso: string) => string,
): string {
  switch (s.kind) {
    case 'once':
      return `${format(s.startsAt)} → ${format(s.endsAt)}`;
    case 'cron':
      return t('maintenance.describe.cron', { cron: s.cron, duration: s.duration });
    case 'weekly':
      return t('maintenance.describe.weekly', {
        days: s.days.map((d) => t(`maintenance.day.${d}`)).join(t('maintenance.listSeparator')),
        start: s.start,
        end: s.end,
      });
    case 'monthly':
      return t('maintenance.describe.monthly', {
        days: s.days
          .map((d) => (d === -1 ? t('maintenance.lastDay') : t('maintenance.dayOfMonth', { day: d })))
          .join(t('maintenance.listSeparator')),
        start: s.start,
        end: s.end,
      });
  }
}

/** The occurrences that overlap the browser-local day `day` (an occurrence past midnight shows on both days). */
export function occurrencesOn(day: Dayjs, items: readonly MaintenanceOccurrence[]): MaintenanceOccurrence[] {
  const from = day.startOf('day').valueOf();
  const to = day.endOf('day').valueOf();
  return items
    .filter((o) => Date.parse(o.startsAt) <= to && Date.parse(o.endsAt) > from)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** The first and last instants a month's calendar grid shows (six weeks from the week of the 1st). */
export function monthGrid(month: Dayjs): { from: Dayjs; to: Dayjs } {
  const from = month.startOf('month').startOf('week');
  return { from, to: from.add(42, 'day') };
}
