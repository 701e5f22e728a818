// Time intervals as Alertmanager defines them (`time_intervals:` / `mute_time_intervals:`): times of
// day, weekdays, days of the month, months and years, all read in one IANA time zone. A field left
// empty places no restriction; an instant is in the interval when it satisfies every field.
// Parsing turns Alertmanager's strings ('monday:friday', '-1', 'january:march', '09:00') into
// numeric ranges; evaluation converts the instant with Intl, so it is pure and needs no tz database
// of its own.

/** Both ends included. */
export interface InclusiveRange {
  start: number;
  end: number;
}

/** Minutes since midnight, `startMinute` included and `endMinute` excluded (24:00 = 1440). */
export interface TimeOfDayRange {
  startMinute: number;
  endMinute: number;
}

export interface TimeIntervalSpec {
  times: TimeOfDayRange[];
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: InclusiveRange[];
  /** 1…31, or -1 (last day) … -31 counted from the end of the month. */
  daysOfMonth: InclusiveRange[];
  /** 1 = January … 12 = December. */
  months: InclusiveRange[];
  years: InclusiveRange[];
  /** Canonical IANA zone name the fields are read in, e.g. `Asia/Shanghai`; default `UTC`. */
  location: string;
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const TIME_OF_DAY = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** `HH:MM` (00:00 to 24:00) → minutes since midnight; throws an Error saying what to write otherwise. */
export function parseTimeOfDay(s: string): number {
  const m = TIME_OF_DAY.exec(s);
  if (!m) throw new Error(`invalid time ${JSON.stringify(s)}: write HH:MM from 00:00 to 24:00, e.g. 09:30`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** A `start_time` / `end_time` pair; the start must come before the (excluded) end. */
export function parseTimeRange(start: string, end: string): TimeOfDayRange {
  const r = { startMinute: parseTimeOfDay(start), endMinute: parseTimeOfDay(end) };
  if (r.startMinute >= r.endMinute) {
    throw new Error(
      `start_time ${start} must be before end_time ${end}; to span midnight use two ranges (…–24:00 and 00:00–…)`,
    );
  }
  return r;
}

/** `a` or `a:b`, each end read by `member`. */
function parseRange(s: string, member: (part: string) => number): InclusiveRange {
  const parts = s.toLowerCase().trim().split(':');
  const [a, b] = parts;
  if (a === undefined || parts.length > 2)
    throw new Error(`invalid range ${JSON.stringify(s)}: write a or a:b`);
  const start = member(a.trim());
  return { start, end: b === undefined ? start : member(b.trim()) };
}

const integer = (what: string) => (part: string) => {
  if (!/^-?\d+$/.test(part)) throw new Error(`${JSON.stringify(part)} is not a valid ${what}`);
  return Number(part);
};

/** `monday`, `monday:friday` (case-insensitive). The start may not come after the end. */
export function parseWeekdayRange(s: string): InclusiveRange {
  const r = parseRange(s, (part) => {
    const i = WEEKDAYS.indexOf(part);
    if (i < 0) throw new Error(`${JSON.stringify(part)} is not a weekday: use ${WEEKDAYS.join(', ')}`);
    return i;
  });
  if (r.start > r.end) {
    throw new Error(
      `weekday range ${JSON.stringify(s)} runs backwards: weeks start on sunday, so write e.g. ["saturday", "sunday"]`,
    );
  }
  return r;
}

/** `1`, `1:5`, `-1` (last day), `-7:-1`, `1:-1`: days 1…31 or counted back from the month's end. */
export function parseDayOfMonthRange(s: string): InclusiveRange {
  const r = parseRange(s, integer('day of the month'));
  for (const d of [r.start, r.end]) {
    if (d === 0 || d < -31 || d > 31) throw new Error(`${d} is not a day of the month: use 1…31 or -31…-1`);
  }
  if (r.start < 0 && r.end > 0)
    throw new Error(`day range ${JSON.stringify(s)}: a negative start needs a negative end`);
  // Whether a mixed range is empty depends on the month; catch the ones that always are (28-day month).
  const norm = (d: number): number => (d < 0 ? 28 + d + 1 : d);
  if (norm(r.start) > norm(r.end)) throw new Error(`day range ${JSON.stringify(s)} ends before it starts`);
  return r;
}

/** `january`, `january:march`, `1:3`, `12`. */
export function parseMonthRange(s: string): InclusiveRange {
  const r = parseRange(s, (part) => {
    const byName = MONTHS.indexOf(part);
    if (byName >= 0) return byName + 1;
    if (/^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= 12) return Number(part);
    throw new Error(`${JSON.stringify(part)} is not a month: use january … december or 1 … 12`);
  });
  if (r.start > r.end) throw new Error(`month range ${JSON.stringify(s)} ends before it starts`);
  return r;
}

/** `2026`, `2026:2027`. */
export function parseYearRange(s: string): InclusiveRange {
  const r = parseRange(s, integer('year'));
  if (r.start < 1 || r.end < 1) throw new Error(`year range ${JSON.stringify(s)}: years start at 1`);
  if (r.start > r.end) throw new Error(`year range ${JSON.stringify(s)} ends before it starts`);
  return r;
}

/** The canonical IANA name of `zone` (`asia/shanghai` → `Asia/Shanghai`); throws an Error for an unknown zone. */
export function canonicalTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(
      `unknown time zone ${JSON.stringify(zone)}: use an IANA name such as Asia/Shanghai or UTC`,
    );
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
  daysInMonth: number;
}

/** Formatters are costly to build; one per zone is kept for the life of the process. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(epochMs: number, zone: string): WallClock {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const part: Record<string, number> = {};
  for (const p of f.formatToParts(epochMs)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const year = part.year ?? 1970;
  const month = part.month ?? 1;
  const day = part.day ?? 1;
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minuteOfDay: ((part.hour ?? 0) % 24) * 60 + (part.minute ?? 0),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

const within = (ranges: readonly InclusiveRange[], v: number): boolean =>
  ranges.length === 0 || ranges.some((r) => v >= r.start && v <= r.end);

/**
 * True when the instant `epochMs` lies in `interval`, read in its time zone, with Alertmanager's
 * rules: end_time excluded, negative days counted from the month's end (clamped to the month).
 */
export function isInTimeInterval(interval: TimeIntervalSpec, epochMs: number): boolean {
  const t = wallClock(epochMs, interval.location);
  if (
    interval.times.length > 0 &&
    !interval.times.some((r) => t.minuteOfDay >= r.startMinute && t.minuteOfDay < r.endMinute)
  )
    return false;
  if (interval.daysOfMonth.length > 0) {
    const n = t.daysInMonth;
    const inDays = interval.daysOfMonth.some((r) => {
      const start = r.start < 0 ? n + r.start + 1 : r.start;
      const end = r.end < 0 ? n + r.end + 1 : r.end;
      if (start > n) return false;
      return t.day >= Math.max(start, 1) && t.day <= Math.min(end, n);
    });
    if (!inDays) return false;
  }
  return (
    within(interval.months, t.month) && within(interval.weekdays, t.weekday) && within(interval.years, t.year)
  );
}

/** True when the instant lies in any of `intervals`: the meaning of one named time interval. */
export function isInAnyTimeInterval(intervals: readonly TimeIntervalSpec[], epochMs: number): boolean {
  return intervals.some((i) => isInTimeInterval(i, epochMs));
}
