import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalTimeZone,
  isInAnyTimeInterval,
  isInTimeInterval,
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeOfDay,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
  type TimeIntervalSpec,
} from './time-interval.js';

const at = (iso: string): number => Date.parse(iso);

const spec = (s: Partial<TimeIntervalSpec>): TimeIntervalSpec => ({
  times: [],
  weekdays: [],
  daysOfMonth: [],
  months: [],
  years: [],
  location: 'UTC',
  ...s,
});

test('an interval without fields contains every instant', () => {
  assert.equal(isInTimeInterval(spec({}), at('2026-05-17T03:04:05Z')), true);
});

test('weekdays are read in the interval’s zone, so the day changes at local midnight', () => {
  // 2026-01-02 is a Friday. 16:00 UTC is midnight in Shanghai (UTC+8).
  const workdays = [parseWeekdayRange('monday:friday')];
  const shanghai = spec({ weekdays: workdays, location: 'Asia/Shanghai' });
  assert.equal(isInTimeInterval(shanghai, at('2026-01-02T15:59:59Z')), true, 'Friday 23:59 in Shanghai');
  assert.equal(isInTimeInterval(shanghai, at('2026-01-02T16:00:00Z')), false, 'Saturday 00:00 in Shanghai');
  assert.equal(isInTimeInterval(shanghai, at('2026-01-04T16:00:00Z')), true, 'Monday 00:00 in Shanghai');
  const utc = spec({ weekdays: workdays });
  assert.equal(isInTimeInterval(utc, at('2026-01-02T16:00:00Z')), true, 'still Friday in UTC');
  assert.equal(isInTimeInterval(utc, at('2026-01-04T16:00:00Z')), false, 'still Sunday in UTC');
});

test('end_time is excluded and 24:00 ends the day', () => {
  const office = spec({ times: [parseTimeRange('09:00', '17:00')] });
  assert.equal(isInTimeInterval(office, at('2026-03-02T08:59:00Z')), false);
  assert.equal(isInTimeInterval(office, at('2026-03-02T09:00:00Z')), true);
  assert.equal(isInTimeInterval(office, at('2026-03-02T16:59:59Z')), true);
  assert.equal(isInTimeInterval(office, at('2026-03-02T17:00:00Z')), false);
  const evening = spec({ times: [parseTimeRange('18:00', '24:00')] });
  assert.equal(isInTimeInterval(evening, at('2026-03-02T23:59:59Z')), true);
  assert.equal(isInTimeInterval(evening, at('2026-03-03T00:00:00Z')), false);
});

test('times follow daylight saving time in the zone', () => {
  // New York moves from UTC-5 to UTC-4 on 2026-03-08.
  const office = spec({ times: [parseTimeRange('09:00', '17:00')], location: 'America/New_York' });
  assert.equal(isInTimeInterval(office, at('2026-03-06T13:30:00Z')), false, '08:30 EST');
  assert.equal(isInTimeInterval(office, at('2026-03-09T13:30:00Z')), true, '09:30 EDT');
});

test('negative days of the month count back from the month’s last day', () => {
  const last = spec({ daysOfMonth: [parseDayOfMonthRange('-1')] });
  assert.equal(isInTimeInterval(last, at('2026-02-28T12:00:00Z')), true);
  assert.equal(isInTimeInterval(last, at('2026-02-27T12:00:00Z')), false);
  assert.equal(isInTimeInterval(last, at('2028-02-28T12:00:00Z')), false, 'leap year');
  assert.equal(isInTimeInterval(last, at('2028-02-29T12:00:00Z')), true, 'leap year');
  const lastWeek = spec({ daysOfMonth: [parseDayOfMonthRange('-7:-1')] });
  assert.equal(isInTimeInterval(lastWeek, at('2026-04-24T00:00:00Z')), true);
  assert.equal(isInTimeInterval(lastWeek, at('2026-04-23T23:59:00Z')), false);
  const firstToLast = spec({ daysOfMonth: [parseDayOfMonthRange('1:-1')] });
  assert.equal(isInTimeInterval(firstToLast, at('2026-04-30T12:00:00Z')), true);
  const the31st = spec({ daysOfMonth: [parseDayOfMonthRange('31')] });
  assert.equal(isInTimeInterval(the31st, at('2026-04-30T12:00:00Z')), false, 'April has no 31st');
  assert.equal(isInTimeInterval(the31st, at('2026-05-31T12:00:00Z')), true);
});

test('months and years, with the year changing at local midnight', () => {
  const q1 = spec({ months: [parseMonthRange('january:march')] });
  assert.equal(isInTimeInterval(q1, at('2026-03-31T23:00:00Z')), true);
  assert.equal(isInTimeInterval(q1, at('2026-04-01T00:00:00Z')), false);
  const years = spec({ years: [parseYearRange('2026:2027')] });
  assert.equal(isInTimeInterval(years, at('2025-12-31T23:59:59Z')), false);
  assert.equal(isInTimeInterval(years, at('2027-12-31T23:59:59Z')), true);
  assert.equal(isInTimeInterval(years, at('2028-01-01T00:00:00Z')), false);
  const only2026InShanghai = spec({ years: [parseYearRange('2026')], location: 'Asia/Shanghai' });
  assert.equal(isInTimeInterval(only2026InShanghai, at('2026-12-31T16:00:00Z')), false, 'already 2027 there');
});

test('every field must hold; any listed range of a field may', () => {
  const weekendMornings = spec({
    weekdays: [parseWeekdayRange('saturday'), parseWeekdayRange('sunday')],
    times: [parseTimeRange('06:00', '09:00'), parseTimeRange('10:00', '11:00')],
  });
  assert.equal(isInTimeInterval(weekendMornings, at('2026-01-03T07:00:00Z')), true, 'Saturday 07:00');
  assert.equal(isInTimeInterval(weekendMornings, at('2026-01-04T10:30:00Z')), true, 'Sunday 10:30');
  assert.equal(isInTimeInterval(weekendMornings, at('2026-01-03T09:30:00Z')), false, 'Saturday 09:30');
  assert.equal(isInTimeInterval(weekendMornings, at('2026-01-05T07:00:00Z')), false, 'Monday 07:00');
  assert.equal(isInAnyTimeInterval([], at('2026-01-03T07:00:00Z')), false);
  assert.equal(
    isInAnyTimeInterval(
      [spec({ years: [parseYearRange('2020')] }), weekendMornings],
      at('2026-01-03T07:00:00Z'),
    ),
    true,
  );
});

test('parsers accept Alertmanager’s forms and normalise them to numbers', () => {
  assert.equal(parseTimeOfDay('00:00'), 0);
  assert.equal(parseTimeOfDay('09:30'), 570);
  assert.equal(parseTimeOfDay('24:00'), 1440);
  assert.deepEqual(parseWeekdayRange('Monday:FRIDAY'), { start: 1, end: 5 });
  assert.deepEqual(parseWeekdayRange('sunday'), { start: 0, end: 0 });
  assert.deepEqual(parseDayOfMonthRange('1:5'), { start: 1, end: 5 });
  assert.deepEqual(parseDayOfMonthRange('-3:-1'), { start: -3, end: -1 });
  assert.deepEqual(parseMonthRange('january:March'), { start: 1, end: 3 });
  assert.deepEqual(parseMonthRange('12'), { start: 12, end: 12 });
  assert.deepEqual(parseMonthRange('6:september'), { start: 6, end: 9 });
  assert.deepEqual(parseYearRange('2026:2027'), { start: 2026, end: 2027 });
  assert.equal(canonicalTimeZone('asia/shanghai'), 'Asia/Shanghai');
  assert.equal(canonicalTimeZone('UTC'), 'UTC');
});

test('parsers reject what Alertmanager rejects, saying what to write', () => {
  const rejects: [() => unknown, RegExp][] = [
    [() => parseTimeOfDay('9:00'), /invalid time "9:00": write HH:MM/],
    [() => parseTimeOfDay('24:01'), /invalid time/],
    [() => parseTimeRange('10:00', '10:00'), /must be before end_time/],
    [() => parseTimeRange('22:00', '06:00'), /to span midnight use two ranges/],
    [() => parseWeekdayRange('saturday:sunday'), /runs backwards/],
    [() => parseWeekdayRange('funday'), /"funday" is not a weekday/],
    [() => parseWeekdayRange('monday:tuesday:friday'), /write a or a:b/],
    [() => parseDayOfMonthRange('0'), /0 is not a day of the month/],
    [() => parseDayOfMonthRange('32'), /32 is not a day of the month/],
    [() => parseDayOfMonthRange('-1:1'), /a negative start needs a negative end/],
    [() => parseDayOfMonthRange('10:5'), /ends before it starts/],
    [() => parseDayOfMonthRange('first'), /"first" is not a valid day of the month/],
    [() => parseMonthRange('13'), /"13" is not a month/],
    [() => parseMonthRange('march:january'), /ends before it starts/],
    [() => parseYearRange('2027:2026'), /ends before it starts/],
    [() => parseYearRange('0'), /years start at 1/],
    [() => canonicalTimeZone('Mars/Olympus_Mons'), /unknown time zone "Mars\/Olympus_Mons"/],
  ];
  for (const [fn, message] of rejects) assert.throws(fn, message);
});
