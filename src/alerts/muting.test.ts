import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InhibitRule } from '../config/model.js';
import type { Labels } from '../kernel/labels.js';
import { fingerprint } from '../kernel/labels.js';
import type { Matcher, MatchType } from '../kernel/matchers.js';
import { parseMatchers } from '../kernel/matchers.js';
import type { MuteContext } from './muting.js';
import { compileInhibitRules, isMuted, muteState, muter, timeMutedBy } from './muting.js';
import type { Silence } from './silence.js';
import { compileSilence } from './silence.js';
import { validateConfigText } from '../config/load.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const H = 3_600_000;

const rule = (source: string, target: string, equal: string[] = []): InhibitRule => ({
  sourceMatchers: parseMatchers(source),
  targetMatchers: parseMatchers(target),
  equal,
});

const firing = (labels: Labels, endsAt?: number) => ({ fingerprint: fingerprint(labels), labels, endsAt });

const ctx = (over: Partial<MuteContext>): MuteContext => ({
  silences: [],
  inhibitRules: [],
  firingAlerts: [],
  ...over,
});

// The classic: while the database is down, the API's error alerts in the same cluster say nothing new.
const dbDown = { alertname: 'DatabaseDown', cluster: 'sg-1', severity: 'P0' };
const apiErrors = { alertname: 'ApiErrors', cluster: 'sg-1', service: 'oms', severity: 'P1' };
const dbRules = compileInhibitRules([rule('alertname="DatabaseDown"', 'alertname="ApiErrors"', ['cluster'])]);

test('a firing DatabaseDown mutes ApiErrors in its cluster, not elsewhere', () => {
  const c = ctx({ inhibitRules: dbRules, firingAlerts: [firing(dbDown), firing(apiErrors)] });
  const muted = muteState(apiErrors, NOW, c);
  assert.deepEqual(muted, {
    silencedBy: [],
    inhibitedBy: [fingerprint(dbDown)],
    maintenance: [],
    mutedBy: [],
  });
  assert.ok(isMuted(muted));
  assert.deepEqual(muteState({ ...apiErrors, cluster: 'my-1' }, NOW, c).inhibitedBy, []);
  assert.deepEqual(muteState(dbDown, NOW, c).inhibitedBy, [], 'the source itself is not a target');
});

test('a resolved DatabaseDown mutes nothing', () => {
  const c = ctx({ inhibitRules: dbRules, firingAlerts: [firing(dbDown, NOW), firing(apiErrors)] });
  assert.deepEqual(muteState(apiErrors, NOW, c).inhibitedBy, []);
  assert.deepEqual(
    muteState(apiErrors, NOW - 1, c).inhibitedBy,
    [fingerprint(dbDown)],
    'firing until its end',
  );
  const gone = ctx({ inhibitRules: dbRules, firingAlerts: [firing(apiErrors)] });
  assert.ok(!isMuted(muteState(apiErrors, NOW, gone)));
});

test('an equal label missing on both alerts counts as equal; missing on one side does not', () => {
  const rules = compileInhibitRules([rule('alertname="DatabaseDown"', 'alertname="ApiErrors"', ['cluster'])]);
  const src = { alertname: 'DatabaseDown' };
  const c = ctx({ inhibitRules: rules, firingAlerts: [firing(src)] });
  assert.deepEqual(muteState({ alertname: 'ApiErrors' }, NOW, c).inhibitedBy, [fingerprint(src)]);
  assert.deepEqual(muteState({ alertname: 'ApiErrors', cluster: 'sg-1' }, NOW, c).inhibitedBy, []);
});

test('every inhibiting source is listed once, across rules, sorted', () => {
  const rules = compileInhibitRules([
    rule('alertname="DatabaseDown"', 'alertname="ApiErrors"', ['cluster']),
    rule('severity="P0"', 'severity=~"P1|P2"', ['cluster']),
  ]);
  const replica = { alertname: 'DatabaseDown', cluster: 'sg-1', instance: 'db-2', severity: 'P0' };
  const c = ctx({ inhibitRules: rules, firingAlerts: [firing(dbDown), firing(replica), firing(apiErrors)] });
  assert.deepEqual(
    muteState(apiErrors, NOW, c).inhibitedBy,
    [fingerprint(dbDown), fingerprint(replica)].sort(),
  );
});

test('an alert never inhibits itself, and alerts matching both sides do not mute each other', () => {
  // Any P1 mutes other P1 alerts of the same service: the two-sided case.
  const rules = compileInhibitRules([rule('severity="P1"', 'severity="P1"', ['service'])]);
  const a = { alertname: 'A', service: 'oms', severity: 'P1' };
  const b = { alertname: 'B', service: 'oms', severity: 'P1' };
  const alone = ctx({ inhibitRules: rules, firingAlerts: [firing(a)] });
  assert.deepEqual(muteState(a, NOW, alone).inhibitedBy, []);
  const both = ctx({ inhibitRules: rules, firingAlerts: [firing(a), firing(b)] });
  assert.deepEqual(muteState(a, NOW, both).inhibitedBy, []);
  assert.deepEqual(muteState(b, NOW, both).inhibitedBy, []);
  // A source matching only the source side still mutes a target that matches both sides.
  const wide = compileInhibitRules([rule('severity=~"P0|P1"', 'severity="P1"', ['service'])]);
  const p0 = { alertname: 'C', service: 'oms', severity: 'P0' };
  const c = ctx({ inhibitRules: wide, firingAlerts: [firing(a), firing(b), firing(p0)] });
  assert.deepEqual(muteState(a, NOW, c).inhibitedBy, [fingerprint(p0)]);
});

const silence = (id: string, expr: string, startsAt = NOW - H, endsAt = NOW + H): Silence => ({
  id,
  matchers: parseMatchers(expr),
  startsAt,
  endsAt,
  createdBy: 'ada',
  comment: '',
  reason: null,
  createdAt: startsAt,
  updatedAt: startsAt,
});

test('silences and inhibitions are reported side by side', () => {
  const c = ctx({
    silences: [
      silence('s-oms', 'service="oms"'),
      silence('s-old', 'service="oms"', NOW - 2 * H, NOW - H),
    ].map(compileSilence),
    inhibitRules: dbRules,
    firingAlerts: [firing(dbDown), firing(apiErrors)],
  });
  assert.deepEqual(muteState(apiErrors, NOW, c), {
    silencedBy: ['s-oms'],
    inhibitedBy: [fingerprint(dbDown)],
    maintenance: [],
    mutedBy: [],
  });
  assert.deepEqual(muteState(dbDown, NOW, c), {
    silencedBy: [],
    inhibitedBy: [],
    maintenance: [],
    mutedBy: [],
  });
});

// A second, deliberately naive implementation to compare with: JavaScript's RegExp (the values used
// are plain enough to mean the same in RE2), fully anchored, and a linear scan.
const naiveMatch = (m: Matcher, labels: Labels): boolean => {
  const v = labels[m.name] ?? '';
  switch (m.type) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
};
const naiveSilencedBy = (silences: Silence[], labels: Labels, now: number): string[] =>
  silences
    .filter((s) => s.startsAt <= now && now < s.endsAt && s.matchers.every((m) => naiveMatch(m, labels)))
    .map((s) => s.id);

const NAMES = ['alertname', 'service', 'instance'];
const VALUES = ['', 'a', 'b', 'ab', 'erp'];
const arbLabels: fc.Arbitrary<Labels> = fc
  .record({
    alertname: fc.constantFrom(...VALUES),
    service: fc.constantFrom(...VALUES),
    instance: fc.constantFrom(...VALUES),
  })
  .map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== '')));
const arbMatcher: fc.Arbitrary<Matcher> = fc.record({
  name: fc.constantFrom(...NAMES),
  type: fc.constantFrom<MatchType>('=', '!=', '=~', '!~'),
  value: fc.constantFrom('', 'a', 'b', 'a|b', 'a.*', '.*', '.+', 'erp|oms'),
});
const arbSilence = (i: number): fc.Arbitrary<Silence> =>
  fc
    .record({
      matchers: fc.array(arbMatcher, { minLength: 1, maxLength: 3 }),
      start: fc.integer({ min: -3, max: 2 }),
      length: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ matchers, start, length }) => ({
      ...silence(`s${i}`, 'x="y"', NOW + start * H, NOW + (start + length) * H),
      matchers,
    }));

test('property: an alert is muted iff some active silence matches it (no inhibit rules)', () => {
  fc.assert(
    fc.property(
      fc.array(arbLabels, { maxLength: 8 }),
      fc
        .integer({ min: 0, max: 5 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbSilence(i)))),
      fc.integer({ min: -2, max: 3 }),
      (alerts, silences, hours) => {
        const now = NOW + hours * H;
        const c = ctx({
          silences: silences.map(compileSilence),
          firingAlerts: alerts.map((l) => firing(l)),
        });
        const mute = muter(c, now);
        for (const labels of alerts) {
          const expected = naiveSilencedBy(silences, labels, now);
          const got = mute(labels);
          assert.deepEqual(got.silencedBy, expected);
          assert.deepEqual(got.inhibitedBy, []);
          assert.equal(isMuted(got), expected.length > 0);
          assert.deepEqual(muteState(labels, now, c), got, 'muter and muteState agree');
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('depends_on between services: the P0/P1 alerts of the needed service inhibit the dependent one', () => {
  const r = validateConfigText(
    `
services:
  - name: postgres-main
  - name: order-api
    depends_on: [postgres-main]
`,
    '/tmp/watchpost.yml',
  );
  assert.ok(r.ok);
  const rules = compileInhibitRules(r.config.inhibitRules);
  assert.equal(rules.length, 1);
  const api = { alertname: 'ApiErrors', service: 'order-api', severity: 'P2' };
  const db = (severity: string) => ({ service: 'postgres-main', alertname: 'DatabaseDown', severity });
  const inhibitedBy = (severity: string) =>
    muteState(api, NOW, ctx({ inhibitRules: rules, firingAlerts: [firing(db(severity))] })).inhibitedBy;
  assert.deepEqual(inhibitedBy('critical'), [fingerprint(db('critical'))], 'critical means P0');
  assert.deepEqual(inhibitedBy('P1'), [fingerprint(db('P1'))]);
  assert.deepEqual(inhibitedBy('warning'), [], 'a P2 on the database mutes nothing');
  // The dependency does not work backwards.
  const dbAlert = db('P0');
  assert.deepEqual(
    muteState(dbAlert, NOW, ctx({ inhibitRules: rules, firingAlerts: [firing({ ...api, severity: 'P0' })] }))
      .inhibitedBy,
    [],
  );
});

test('depends_on on itself is refused, naming the path', () => {
  const r = validateConfigText('services:\n  - name: erp\n    depends_on: [erp]\n', '/tmp/watchpost.yml');
  assert.equal(r.ok, false);
  assert.ok(
    !r.ok && r.problems.some((p) => p.path === 'services[0].depends_on[0]' || p.path.includes('depends_on')),
  );
});

test('maintenance windows from the context mute; a route is muted by a mute interval or outside its active ones', () => {
  const win = { id: 'w1', name: 'ERP release', mode: 'expected' as const };
  const c = ctx({ maintenance: (labels) => (labels.service === 'erp' ? [win] : []) });
  const erp = muteState({ alertname: 'X', service: 'erp' }, NOW, c);
  assert.deepEqual(erp.maintenance, [win]);
  assert.equal(isMuted(erp), true);
  assert.equal(isMuted(muteState({ alertname: 'X', service: 'oms' }, NOW, c)), false);

  // NOW is Thursday 08:00 UTC.
  const intervals = {
    office: [
      {
        times: [{ startMinute: 9 * 60, endMinute: 17 * 60 }],
        weekdays: [],
        daysOfMonth: [],
        months: [],
        years: [],
        location: 'UTC',
      },
    ],
    morning: [
      {
        times: [{ startMinute: 6 * 60, endMinute: 9 * 60 }],
        weekdays: [],
        daysOfMonth: [],
        months: [],
        years: [],
        location: 'UTC',
      },
    ],
  };
  assert.deepEqual(timeMutedBy({ muteTimeIntervals: ['morning'], activeTimeIntervals: [] }, intervals, NOW), [
    'morning',
  ]);
  assert.deepEqual(
    timeMutedBy({ muteTimeIntervals: ['office'], activeTimeIntervals: [] }, intervals, NOW),
    [],
  );
  assert.deepEqual(timeMutedBy({ muteTimeIntervals: [], activeTimeIntervals: ['office'] }, intervals, NOW), [
    'office',
  ]);
  assert.deepEqual(
    timeMutedBy({ muteTimeIntervals: [], activeTimeIntervals: ['office', 'morning'] }, intervals, NOW),
    [],
  );
});
