import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMatchers } from '../kernel/matchers.js';
import type {
  MaintenanceSchedule,
  MaintenanceWindow,
  MaintenanceWindowInput,
  Weekday,
} from './maintenance.js';
import {
  MAX_OCCURRENCES,
  WEEKDAYS,
  activeAt,
  compileWindow,
  nextStart,
  occurrences,
  validateWindow,
  windowsMatching,
} from './maintenance.js';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const t = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

const windowOf = (
  schedule: MaintenanceSchedule,
  timeZone = 'UTC',
  over: Partial<MaintenanceWindow> = {},
): MaintenanceWindow => ({
  id: 'w1',
  name: 'ERP backup',
  matchers: parseMatchers('service="erp"'),
  schedule,
  timeZone,
  mode: 'mute',
  comment: '',
  createdBy: 'ada',
  source: 'api',
  managedBy: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const compiled = (schedule: MaintenanceSchedule, timeZone = 'UTC') =>
  compileWindow(windowOf(schedule, timeZone));
const spans = (os: { startsAt: number; endsAt: number }[]) => os.map((o) => [iso(o.startsAt), iso(o.endsAt)]);

describe('once', () => {
  const cw = compiled({
    kind: 'once',
    startsAt: t('2026-12-01T02:00:00Z'),
    endsAt: t('2026-12-01T04:00:00Z'),
  });

  test('is active from its start, up to but not at its end', () => {
    assert.equal(activeAt(cw, t('2026-12-01T01:59:59.999Z')), false);
    assert.equal(activeAt(cw, t('2026-12-01T02:00:00Z')), true);
    assert.equal(activeAt(cw, t('2026-12-01T03:59:59.999Z')), true);
    assert.equal(activeAt(cw, t('2026-12-01T04:00:00Z')), false);
  });

  test('has one occurrence, listed whole when the range cuts it, and starts next only before it starts', () => {
    assert.deepEqual(spans(occurrences(cw, t('2026-12-01T03:00:00Z'), t('2026-12-02T00:00:00Z'))), [
      ['2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z'],
    ]);
    assert.deepEqual(occurrences(cw, t('2026-12-01T04:00:00Z'), t('2026-12-02T00:00:00Z')), []);
    assert.equal(nextStart(cw, t('2026-11-30T00:00:00Z')), t('2026-12-01T02:00:00Z'));
    assert.equal(nextStart(cw, t('2026-12-01T02:00:00Z')), null);
  });
});

describe('cron', () => {
  // Sundays at 02:00 in Shanghai (UTC+8, no DST) = Saturdays 18:00 UTC.
  const cw = compiled({ kind: 'cron', cron: '0 2 * * 0', durationMs: 2 * H }, 'Asia/Shanghai');

  test('fires in the window’s zone and lasts its duration', () => {
    assert.equal(activeAt(cw, t('2026-12-05T17:59:59Z')), false);
    assert.equal(activeAt(cw, t('2026-12-05T18:00:00Z')), true);
    assert.equal(activeAt(cw, t('2026-12-05T19:59:59Z')), true);
    assert.equal(activeAt(cw, t('2026-12-05T20:00:00Z')), false);
    assert.equal(
      activeAt(cw, t('2026-12-06T18:00:00Z')),
      false,
      'a Sunday evening in UTC is Monday in Shanghai',
    );
  });

  test('lists every firing in a range and the next start', () => {
    assert.deepEqual(spans(occurrences(cw, t('2026-12-01T00:00:00Z'), t('2026-12-15T00:00:00Z'))), [
      ['2026-12-05T18:00:00.000Z', '2026-12-05T20:00:00.000Z'],
      ['2026-12-12T18:00:00.000Z', '2026-12-12T20:00:00.000Z'],
    ]);
    assert.equal(nextStart(cw, t('2026-12-05T19:00:00Z')), t('2026-12-12T18:00:00Z'));
  });

  test('firings that overlap merge into one occurrence; a window that never stops has no next start', () => {
    const hourly = compiled({ kind: 'cron', cron: '0 * * * *', durationMs: 2 * H });
    assert.deepEqual(spans(occurrences(hourly, t('2026-12-01T10:30:00Z'), t('2026-12-01T12:00:00Z'))), [
      ['2026-12-01T09:00:00.000Z', '2026-12-01T13:00:00.000Z'],
    ]);
    assert.equal(nextStart(hourly, t('2026-12-01T10:30:00Z')), null);
    const nightly = compiled({ kind: 'cron', cron: '0 22 * * 1-5', durationMs: 8 * H });
    // Friday 22:00 to Saturday 06:00; the next begins on Monday.
    assert.equal(nextStart(nightly, t('2026-12-04T23:00:00Z')), t('2026-12-07T22:00:00Z'));
  });

  test('a 02:30 cron on the spring-forward day in Berlin fires at 03:00, the first valid instant', () => {
    const cw2 = compiled({ kind: 'cron', cron: '30 2 * * *', durationMs: H }, 'Europe/Berlin');
    assert.deepEqual(spans(occurrences(cw2, t('2026-03-28T12:00:00Z'), t('2026-03-30T12:00:00Z'))), [
      ['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00.000Z'],
    ]);
  });
});

describe('weekly', () => {
  // Weeknights 22:00 to 06:00 the next morning, Berlin time (UTC+1 in December).
  const cw = compiled(
    { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '06:00' },
    'Europe/Berlin',
  );

  test('an end before the start runs past midnight into the next day', () => {
    assert.equal(activeAt(cw, t('2026-12-04T20:59:59Z')), false, 'Friday 21:59');
    assert.equal(activeAt(cw, t('2026-12-04T21:00:00Z')), true, 'Friday 22:00');
    assert.equal(activeAt(cw, t('2026-12-05T04:59:59Z')), true, 'Saturday 05:59, the Friday night');
    assert.equal(activeAt(cw, t('2026-12-05T05:00:00Z')), false, 'Saturday 06:00');
    assert.equal(activeAt(cw, t('2026-12-05T22:00:00Z')), false, 'Saturday 23:00: not listed');
    assert.equal(activeAt(cw, t('2026-12-07T00:00:00Z')), false, 'Monday 01:00 belongs to Sunday night');
    assert.equal(activeAt(cw, t('2026-12-08T00:00:00Z')), true, 'Tuesday 01:00 belongs to Monday night');
  });

  test('lists the nights of a week and the next start', () => {
    const list = occurrences(cw, t('2026-12-07T00:00:00Z'), t('2026-12-14T00:00:00Z'));
    assert.equal(list.length, 5);
    assert.deepEqual(spans(list.slice(0, 1)), [['2026-12-07T21:00:00.000Z', '2026-12-08T05:00:00.000Z']]);
    assert.equal(nextStart(cw, t('2026-12-05T12:00:00Z')), t('2026-12-07T21:00:00Z'));
  });

  test('whole days (00:00–00:00) on consecutive days make one occurrence', () => {
    const weekend = compiled({ kind: 'weekly', days: ['sat', 'sun'], start: '00:00', end: '00:00' });
    assert.deepEqual(spans(occurrences(weekend, t('2026-12-01T00:00:00Z'), t('2026-12-08T00:00:00Z'))), [
      ['2026-12-05T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    ]);
    const always = compiled({ kind: 'weekly', days: [...WEEKDAYS], start: '00:00', end: '00:00' });
    assert.equal(activeAt(always, t('2026-12-01T13:00:00Z')), true);
    assert.equal(nextStart(always, t('2026-12-01T13:00:00Z')), null);
  });

  test('DST in Europe/Berlin: a start skipped by spring-forward begins at the end of the gap', () => {
    // 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST.
    const sunday = compiled({ kind: 'weekly', days: ['sun'], start: '02:30', end: '04:00' }, 'Europe/Berlin');
    assert.deepEqual(spans(occurrences(sunday, t('2026-03-28T00:00:00Z'), t('2026-03-30T00:00:00Z'))), [
      ['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z'],
    ]);
    assert.equal(activeAt(sunday, t('2026-03-29T00:59:59Z')), false);
    assert.equal(activeAt(sunday, t('2026-03-29T01:00:00Z')), true);
    // A week later the same window is 02:30–04:00 CEST again.
    assert.deepEqual(spans(occurrences(sunday, t('2026-04-04T00:00:00Z'), t('2026-04-06T00:00:00Z'))), [
      ['2026-04-05T00:30:00.000Z', '2026-04-05T02:00:00.000Z'],
    ]);
  });

  test('DST in Europe/Berlin: a time that occurs twice is taken the first time; nights grow and shrink', () => {
    // 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET, so 02:30 happens twice.
    const sunday = compiled({ kind: 'weekly', days: ['sun'], start: '02:30', end: '03:30' }, 'Europe/Berlin');
    assert.deepEqual(spans(occurrences(sunday, t('2026-10-24T00:00:00Z'), t('2026-10-26T00:00:00Z'))), [
      ['2026-10-25T00:30:00.000Z', '2026-10-25T02:30:00.000Z'],
    ]);
    const saturdayNight = compiled(
      { kind: 'weekly', days: ['sat'], start: '22:00', end: '06:00' },
      'Europe/Berlin',
    );
    const [spring] = occurrences(saturdayNight, t('2026-03-28T12:00:00Z'), t('2026-03-29T12:00:00Z'));
    const [autumn] = occurrences(saturdayNight, t('2026-10-24T12:00:00Z'), t('2026-10-25T12:00:00Z'));
    assert.equal(spring && spring.endsAt - spring.startsAt, 7 * H);
    assert.equal(autumn && autumn.endsAt - autumn.startsAt, 9 * H);
  });
});

describe('monthly', () => {
  const calendar2026 = (cw: ReturnType<typeof compiled>) =>
    occurrences(cw, t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z')).map((o) =>
      iso(o.startsAt).slice(0, 10),
    );

  test('day 31 is skipped in months without one', () => {
    const cw = compiled({ kind: 'monthly', days: [31], start: '01:00', end: '02:00' });
    assert.deepEqual(calendar2026(cw), [
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
      '2026-08-31',
      '2026-10-31',
      '2026-12-31',
    ]);
  });

  test('-1 is the last day of every month, 29 February in a leap year', () => {
    const cw = compiled({ kind: 'monthly', days: [-1], start: '01:00', end: '02:00' });
    assert.deepEqual(calendar2026(cw).slice(0, 4), ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    assert.deepEqual(spans(occurrences(cw, t('2028-02-01T00:00:00Z'), t('2028-03-01T00:00:00Z'))), [
      ['2028-02-29T01:00:00.000Z', '2028-02-29T02:00:00.000Z'],
    ]);
    // Listing both 31 and -1 does not double a 31-day month's last day.
    const both = compiled({ kind: 'monthly', days: [31, -1], start: '01:00', end: '02:00' });
    assert.equal(calendar2026(both).length, 12);
  });

  test('crosses midnight into the next month, read in the window’s zone', () => {
    // The 1st, 23:00 to 01:00, Shanghai time: 15:00–17:00 UTC.
    const cw = compiled({ kind: 'monthly', days: [-1], start: '23:00', end: '01:00' }, 'Asia/Shanghai');
    assert.deepEqual(spans(occurrences(cw, t('2026-11-01T00:00:00Z'), t('2026-12-01T00:00:00Z'))), [
      ['2026-11-30T15:00:00.000Z', '2026-11-30T17:00:00.000Z'],
    ]);
    assert.equal(activeAt(cw, t('2026-11-30T16:30:00Z')), true, '00:30 on 1 December in Shanghai');
    assert.equal(nextStart(cw, t('2026-12-01T00:00:00Z')), t('2026-12-31T15:00:00Z'));
  });
});

describe('windowsMatching', () => {
  test('names the active windows whose matchers all hold, with their mode', () => {
    const now = t('2026-12-01T03:00:00Z');
    const once = { kind: 'once', startsAt: now - H, endsAt: now + H } as const;
    const cws = [
      compileWindow(windowOf(once, 'UTC', { id: 'a', name: 'erp', mode: 'expected' })),
      compileWindow(windowOf(once, 'UTC', { id: 'b', matchers: parseMatchers('service="erp", env="prod"') })),
      compileWindow(windowOf({ ...once, startsAt: now + H, endsAt: now + 2 * H }, 'UTC', { id: 'c' })),
      compileWindow(
        windowOf(once, 'UTC', { id: 'd', name: 'all of it', matchers: parseMatchers('service=~"erp|oms"') }),
      ),
    ];
    assert.deepEqual(windowsMatching(cws, { service: 'erp', env: 'staging' }, now), [
      { id: 'a', name: 'erp', mode: 'expected' },
      { id: 'd', name: 'all of it', mode: 'mute' },
    ]);
    assert.deepEqual(windowsMatching(cws, { service: 'wms' }, now), []);
  });
});

describe('validateWindow', () => {
  const input = (over: Partial<MaintenanceWindowInput> = {}): MaintenanceWindowInput => ({
    name: 'ERP backup',
    matchers: parseMatchers('service="erp"'),
    schedule: { kind: 'cron', cron: '0 2 * * 0', durationMs: 2 * H },
    timeZone: 'Asia/Shanghai',
    mode: 'mute',
    comment: '',
    ...over,
  });
  const paths = (over: Partial<MaintenanceWindowInput>) => validateWindow(input(over)).map((p) => p.path);
  const message = (over: Partial<MaintenanceWindowInput>, path: string) =>
    validateWindow(input(over)).find((p) => p.path === path)?.message ?? '';

  test('a valid window has no problems', () => {
    assert.deepEqual(validateWindow(input()), []);
    const schedules: MaintenanceSchedule[] = [
      { kind: 'once', startsAt: 0, endsAt: 1 },
      { kind: 'weekly', days: ['sat', 'sun'], start: '22:00', end: '24:00' },
      { kind: 'monthly', days: [1, 15, -1], start: '00:00', end: '00:00' },
      { kind: 'cron', cron: '@daily', durationMs: MIN },
    ];
    for (const schedule of schedules) assert.deepEqual(validateWindow(input({ schedule })), []);
  });

  test('names each field and the fix', () => {
    assert.deepEqual(paths({ name: ' ' }), ['/name']);
    assert.match(
      message({ timeZone: 'Asia/Beijing' }, '/timeZone'),
      /unknown time zone "Asia\/Beijing".*IANA/,
    );
    assert.match(message({ mode: 'silence' as never }, '/mode'), /mute .* or expected/);
    assert.match(
      message({ schedule: { kind: 'cron', cron: '0 25 * * *', durationMs: H } }, '/schedule/cron'),
      /invalid cron expression "0 25 \* \* \*": Invalid value for hour: 25; write five fields/,
    );
    assert.match(
      message({ schedule: { kind: 'cron', cron: '0 2 * *', durationMs: H } }, '/schedule/cron'),
      /five/,
    );
    assert.match(
      message({ schedule: { kind: 'cron', cron: '0 0 30 2 *', durationMs: H } }, '/schedule/cron'),
      /never fires: no date matches its day and month fields/,
    );
    assert.deepEqual(paths({ schedule: { kind: 'cron', cron: '0 2 * * 0', durationMs: 0 } }), [
      '/schedule/duration',
    ]);
    assert.match(
      message({ schedule: { kind: 'once', startsAt: 10, endsAt: 10 } }, '/schedule/endsAt'),
      /endsAt must be after startsAt/,
    );
    assert.deepEqual(
      paths({
        schedule: { kind: 'weekly', days: ['mon', 'funday' as Weekday, 'mon'], start: '2:00', end: '25:00' },
      }),
      ['/schedule/days/1', '/schedule/days/2', '/schedule/start', '/schedule/end'],
    );
    assert.match(
      message({ schedule: { kind: 'weekly', days: [], start: '02:00', end: '03:00' } }, '/schedule/days'),
      /at least one day/,
    );
    assert.deepEqual(
      paths({ schedule: { kind: 'monthly', days: [0, 32, -2, 1.5, 7], start: '02:00', end: '03:00' } }),
      ['/schedule/days/0', '/schedule/days/1', '/schedule/days/2', '/schedule/days/3'],
    );
    assert.deepEqual(paths({ schedule: { kind: 'yearly' } as never }), ['/schedule/kind']);
  });

  test('matchers follow the silence rules: at least one, and not all matching the empty string', () => {
    assert.deepEqual(paths({ matchers: [] }), ['/matchers']);
    assert.match(
      message({ matchers: parseMatchers('service=~".*"') }, '/matchers'),
      /must not match the empty string/,
    );
    assert.deepEqual(paths({ matchers: [{ name: 'service', type: '=~', value: '(' }] }), [
      '/matchers/0/value',
    ]);
  });
});

test('MAX_OCCURRENCES caps a listing', () => {
  const cw = compiled({ kind: 'cron', cron: '*/5 * * * *', durationMs: MIN });
  assert.equal(occurrences(cw, t('2026-12-01T00:00:00Z'), t('2026-12-10T00:00:00Z')).length, MAX_OCCURRENCES);
});

test('property: activeAt(now) holds exactly when some listed occurrence contains now', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'Asia/Shanghai',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  ];
  const hhmm = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const schedule: fc.Arbitrary<MaintenanceSchedule> = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 120 * DAY }), fc.integer({ min: 1, max: 10 * DAY })).map(([s, d]) => ({
      kind: 'once' as const,
      startsAt: t('2026-01-01T00:00:00Z') + s,
      endsAt: t('2026-01-01T00:00:00Z') + s + d,
    })),
    fc
      .tuple(
        fc.constantFrom(
          '0 2 * * 0',
          '30 2 * * *',
          '0 */6 * * *',
          '15 1,13 * * 1-5',
          '0 0 1,15 * *',
          '0 3 L * *',
        ),
        fc.integer({ min: 1, max: 30 }).map((n) => n * 30 * MIN),
      )
      .map(([cron, durationMs]) => ({ kind: 'cron' as const, cron, durationMs })),
    fc
      .tuple(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 }), hhmm, hhmm)
      .map(([days, start, end]) => ({ kind: 'weekly' as const, days, start, end })),
    fc
      .tuple(fc.uniqueArray(fc.constantFrom(1, 2, 15, 28, 29, 30, 31, -1), { minLength: 1 }), hhmm, hhmm)
      .map(([days, start, end]) => ({ kind: 'monthly' as const, days, start, end })),
  );
  // Around DST changes in several zones, and anywhere in 2026.
  const transitions = [
    '2026-03-08T07:00:00Z',
    '2026-03-29T01:00:00Z',
    '2026-10-25T01:00:00Z',
    '2026-04-04T15:00:00Z',
    '2026-11-01T06:00:00Z',
  ].map(t);
  const now = fc.oneof(
    fc
      .tuple(fc.constantFrom(...transitions), fc.integer({ min: -2 * DAY, max: 2 * DAY }))
      .map(([a, b]) => a + b),
    fc
      .tuple(
        fc.constantFrom(...transitions),
        fc.integer({ min: -3 * H, max: 3 * H }).map((m) => Math.round(m / MIN) * MIN),
      )
      .map(([a, b]) => a + b),
    fc.integer({ min: t('2026-01-01T00:00:00Z'), max: t('2027-01-01T00:00:00Z') }),
  );
  fc.assert(
    fc.property(schedule, fc.constantFrom(...zones), now, (s, zone, at) => {
      const cw = compiled(s, zone);
      const [from, to] = [at - 3 * DAY, at + 3 * DAY];
      const list = occurrences(cw, from, to);
      const listed = list.some((o) => o.startsAt <= at && at < o.endsAt);
      assert.equal(activeAt(cw, at), listed, `${JSON.stringify(s)} in ${zone} at ${iso(at)}`);
      // At the edges, where an off-by-one would show: merged occurrences are separated by gaps
      // (except where a series that never pauses is cut by the range).
      for (const o of list.slice(0, 4)) {
        assert.equal(activeAt(cw, o.startsAt), true, `start ${iso(o.startsAt)}`);
        assert.equal(activeAt(cw, o.endsAt - 1), true, `before end ${iso(o.endsAt)}`);
        if (o.startsAt > from) assert.equal(activeAt(cw, o.startsAt - 1), false, `before ${iso(o.startsAt)}`);
        if (o.endsAt < to) assert.equal(activeAt(cw, o.endsAt), false, `end ${iso(o.endsAt)}`);
      }
      const next = nextStart(cw, at);
      if (next !== null) {
        assert.ok(next > at);
        assert.equal(activeAt(cw, next), true, `next start ${iso(next)} must be active`);
        assert.equal(activeAt(cw, next - 1), false, `just before next start ${iso(next)} must be inactive`);
      }
    }),
    { numRuns: 400 },
  );
});
