import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from './load.js';
import type { Config } from './model.js';

const configOf = (text: string): Config => {
  const r = validateConfigText(text, 'watchpost.yml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems, null, 2));
  return r.config;
};

const problemsOf = (text: string) => {
  const r = validateConfigText(text, 'watchpost.yml');
  assert.ok(!r.ok, 'expected the text to be rejected');
  return r.problems.map(({ path, message, line }) => ({ path, line, message }));
};

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

test('each schedule kind is normalised: matchers parsed, times in ms, the zone canonical', () => {
  const c = configOf(
    lines(
      'maintenance_windows:',
      '  - name: ERP weekly backup',
      '    matchers: [\'service="erp"\', \'{env=~"prod|staging"}\']',
      '    time_zone: asia/shanghai',
      '    mode: expected',
      '    comment: full backup',
      "    cron: '0 2 * * 0'",
      '    duration: 1h30m',
      '  - name: WMS upgrade',
      '    matchers: [service=wms]',
      '    time_zone: Asia/Shanghai',
      "    once: { starts_at: '2026-12-01 02:00', ends_at: '2026-12-01T04:00:00Z' }",
      '  - name: Nightly deploys',
      '    matchers: [service=oms]',
      '    time_zone: UTC',
      "    weekly: { days: [mon, fri], start: '22:00', end: '06:00' }",
      '  - name: Month-end close',
      '    matchers: [service=finance]',
      '    time_zone: UTC',
      "    monthly: { days: [1, -1], start: '00:00', end: '00:00' }",
    ),
  );
  assert.deepEqual(c.maintenanceWindows, [
    {
      name: 'ERP weekly backup',
      matchers: [
        { name: 'service', type: '=', value: 'erp' },
        { name: 'env', type: '=~', value: 'prod|staging' },
      ],
      schedule: { kind: 'cron', cron: '0 2 * * 0', durationMs: 90 * 60_000 },
      timeZone: 'Asia/Shanghai',
      mode: 'expected',
      comment: 'full backup',
    },
    {
      name: 'WMS upgrade',
      matchers: [{ name: 'service', type: '=', value: 'wms' }],
      // A date-time without an offset is read in the window's zone (UTC+8).
      schedule: {
        kind: 'once',
        startsAt: Date.parse('2026-11-30T18:00:00Z'),
        endsAt: Date.parse('2026-12-01T04:00:00Z'),
      },
      timeZone: 'Asia/Shanghai',
      mode: 'mute',
      comment: '',
    },
    {
      name: 'Nightly deploys',
      matchers: [{ name: 'service', type: '=', value: 'oms' }],
      schedule: { kind: 'weekly', days: ['mon', 'fri'], start: '22:00', end: '06:00' },
      timeZone: 'UTC',
      mode: 'mute',
      comment: '',
    },
    {
      name: 'Month-end close',
      matchers: [{ name: 'service', type: '=', value: 'finance' }],
      schedule: { kind: 'monthly', days: [1, -1], start: '00:00', end: '00:00' },
      timeZone: 'UTC',
      mode: 'mute',
      comment: '',
    },
  ]);
});

test('without time_zone a window is read in the zone of the machine loading the file', () => {
  const c = configOf(
    lines(
      'maintenance_windows:',
      '  - name: a',
      '    matchers: [a=b]',
      "    cron: '@daily'",
      '    duration: 1h',
    ),
  );
  assert.equal(c.maintenanceWindows[0]?.timeZone, new Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.deepEqual(configOf('').maintenanceWindows, []);
});

test('every problem is reported at its key, with its line and the fix', () => {
  assert.deepEqual(
    problemsOf(
      lines(
        'maintenance_windows:',
        '  - name: bad cron',
        '    matchers: [service=erp]',
        '    time_zone: Asia/Beijing',
        "    cron: '0 25 * * *'",
        '    duration: 2 hours',
        '  - name: two kinds',
        '    matchers: [\'service=~".*"\']',
        '    time_zone: UTC',
        "    cron: '0 2 * * *'",
        '    duration: 2h',
        "    weekly: { days: [mon], start: '02:00', end: '03:00' }",
        '  - name: no schedule',
        '    matchers: [service=erp]',
        '  - name: bad times',
        "    matchers: ['service=\"erp']",
        '    time_zone: UTC',
        "    weekly: { days: [mon, funday], start: '9:00', end: '25:00' }",
        '  - name: bad once',
        '    matchers: [service=erp]',
        '    time_zone: UTC',
        "    once: { starts_at: '2026-12-01T04:00:00Z', ends_at: '2026-12-01T02:00:00Z' }",
        '    duration: 2h',
        '  - name: bad cron',
        '    matchers: [service=erp]',
        '    time_zone: UTC',
        "    monthly: { days: [0, 31], start: '01:00', end: '02:00' }",
        '  - name: empty matchers',
        '    matchers: []',
        '    time_zone: UTC',
        "    cron: '0 0 30 2 *'",
        '    duration: 0s',
      ),
    ),
    [
      {
        path: 'maintenance_windows[0].time_zone',
        line: 4,
        message: 'unknown time zone "Asia/Beijing": use an IANA name such as Asia/Shanghai or UTC',
      },
      {
        path: 'maintenance_windows[0].cron',
        line: 5,
        message:
          'invalid cron expression "0 25 * * *": Invalid value for hour: 25; write five fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * 0" for Sundays at 02:00',
      },
      {
        path: 'maintenance_windows[0].duration',
        line: 6,
        message: 'invalid duration "2 hours": missing unit after 2; use ms, s, m, h, d, w or y',
      },
      {
        path: 'maintenance_windows[1].matchers',
        line: 8,
        message:
          'at least one matcher must not match the empty string: each of these also matches alerts that lack the label, so the silence would mute almost everything; add one such as alertname="DiskFull"',
      },
      {
        path: 'maintenance_windows[1].weekly',
        line: 12,
        message: 'one schedule per window: this one already has cron; declare a second window instead',
      },
      {
        path: 'maintenance_windows[2]',
        line: 13,
        message: 'needs a schedule: exactly one of once, cron (with duration), weekly or monthly',
      },
      {
        path: 'maintenance_windows[3].matchers[0]',
        line: 16,
        message: 'invalid matcher "service=\\"erp": column 9: quoted value is not closed: add the closing "',
      },
      {
        path: 'maintenance_windows[3].weekly.days[1]',
        line: 18,
        message: 'must be one of mon, tue, wed, thu, fri, sat, sun',
      },
      {
        path: 'maintenance_windows[3].weekly.start',
        line: 18,
        message: 'start "9:00" is not HH:MM: write a time from 00:00 to 23:59, e.g. "02:00"',
      },
      {
        path: 'maintenance_windows[3].weekly.end',
        line: 18,
        message:
          'end "25:00" is not HH:MM: write a time from 00:00 to 24:00, e.g. "06:00" (an end at or before the start is on the next day)',
      },
      { path: 'maintenance_windows[4].once.ends_at', line: 22, message: 'ends_at must be after starts_at' },
      {
        path: 'maintenance_windows[4].duration',
        line: 23,
        message: 'only used with cron: remove it, or add cron',
      },
      {
        path: 'maintenance_windows[5].name',
        line: 24,
        message: 'duplicate maintenance window name "bad cron" (also at maintenance_windows[0])',
      },
      {
        path: 'maintenance_windows[5].monthly.days[0]',
        line: 27,
        message: '0 is not a day: use 1 to 31, or -1 for the last day of the month',
      },
      {
        path: 'maintenance_windows[6].matchers',
        line: 29,
        message: 'at least one matcher is required, e.g. {"name": "alertname", "value": "DiskFull"}',
      },
      {
        path: 'maintenance_windows[6].cron',
        line: 31,
        message:
          'cron expression "0 0 30 2 *" never fires: no date matches its day and month fields (such as 30 February)',
      },
      { path: 'maintenance_windows[6].duration', line: 32, message: 'must be longer than 0' },
    ],
  );
});

test('a valid structure still gets the window rules: times, order, matchers that match everything', () => {
  assert.deepEqual(
    problemsOf(
      lines(
        'maintenance_windows:',
        '  - name: a',
        '    matchers: [service=erp]',
        '    time_zone: UTC',
        "    weekly: { days: [mon, mon], start: '9:00', end: '25:00' }",
        '  - name: b',
        '    matchers: [\'service=~".*"\']',
        '    time_zone: UTC',
        "    once: { starts_at: '2026-12-01T04:00:00Z', ends_at: '2026-12-01 02:00' }",
        '  - name: c',
        '    matchers: [a=b]',
        "    once: { starts_at: 'next tuesday', ends_at: '2026-12-01T02:00:00Z' }",
      ),
    ),
    [
      {
        path: 'maintenance_windows[0].weekly.days[1]',
        line: 5,
        message: '"mon" is listed twice: remove one',
      },
      {
        path: 'maintenance_windows[0].weekly.start',
        line: 5,
        message: 'start "9:00" is not HH:MM: write a time from 00:00 to 23:59, e.g. "02:00"',
      },
      {
        path: 'maintenance_windows[0].weekly.end',
        line: 5,
        message:
          'end "25:00" is not HH:MM: write a time from 00:00 to 24:00, e.g. "06:00" (an end at or before the start is on the next day)',
      },
      {
        path: 'maintenance_windows[1].matchers',
        line: 7,
        message:
          'at least one matcher must not match the empty string: each of these also matches alerts that lack the label, so the silence would mute almost everything; add one such as alertname="DiskFull"',
      },
      { path: 'maintenance_windows[1].once.ends_at', line: 9, message: 'ends_at must be after starts_at' },
      {
        path: 'maintenance_windows[2].once.starts_at',
        line: 12,
        message:
          'must be a date-time such as 2026-12-01T02:00:00+08:00, or 2026-12-01 02:00 (read in time_zone)',
      },
    ],
  );
});
