import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Matcher, MatchType } from '../kernel/matchers.js';
import { parseMatchers } from '../kernel/matchers.js';
import type { Silence } from './silence.js';
import {
  compareSilences,
  compileSilence,
  expireAt,
  matcherFromApi,
  planUpsert,
  sameMatchers,
  silenceMatchesFilter,
  silenceState,
  silencedBy,
  validateSilence,
} from './silence.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const H = 3_600_000;

const silence = (over: Partial<Silence> = {}): Silence => ({
  id: 's1',
  matchers: parseMatchers('alertname="DiskFull"'),
  startsAt: NOW - H,
  endsAt: NOW + H,
  createdBy: 'ada',
  comment: 'disk swap',
  reason: null,
  createdAt: NOW - H,
  updatedAt: NOW - H,
  ...over,
});

const valid = (over: Partial<Parameters<typeof validateSilence>[0]> = {}) =>
  validateSilence(
    {
      matchers: parseMatchers('alertname="DiskFull"'),
      startsAt: NOW,
      endsAt: NOW + H,
      createdBy: 'ada',
      ...over,
    },
    NOW,
  );

test('state: pending before the start, active from the start, expired from the end on', () => {
  const s = { startsAt: NOW, endsAt: NOW + H };
  assert.equal(silenceState(s, NOW - 1), 'pending');
  assert.equal(silenceState(s, NOW), 'active');
  assert.equal(silenceState(s, NOW + H - 1), 'active');
  assert.equal(silenceState(s, NOW + H), 'expired');
});

test('a valid silence has no problems', () => {
  assert.deepEqual(valid(), []);
});

test('a silence needs at least one matcher', () => {
  assert.deepEqual(
    valid({ matchers: [] }).map((p) => p.path),
    ['/matchers'],
  );
});

test('a silence whose every matcher matches the empty string is refused, saying so', () => {
  for (const expr of ['a=""', 'a!="x"', 'a=~".*"', 'a!~"x", b=""']) {
    const problems = valid({ matchers: parseMatchers(expr) });
    assert.equal(problems.length, 1, expr);
    assert.equal(problems[0]?.path, '/matchers');
    assert.match(problems[0]?.message ?? '', /must not match the empty string/);
  }
  // One matcher that needs a value is enough.
  assert.deepEqual(valid({ matchers: parseMatchers('a=~".*", alertname="X"') }), []);
  assert.deepEqual(valid({ matchers: parseMatchers('a=~".+"') }), []);
});

test('bad label names and regular expressions are reported at their matcher, with the column', () => {
  const problems = valid({
    matchers: [
      { name: 'alertname', type: '=', value: 'X' },
      { name: '0bad', type: '=', value: 'x' },
      { name: 'service', type: '=~', value: 'erp|[z-a]' },
      { name: 'job', type: '!~', value: 'a**' },
    ],
  });
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/matchers/1/name', '/matchers/2/value', '/matchers/3/value'],
  );
  assert.match(
    problems[1]?.message ?? '',
    /invalid regular expression at column 6: invalid character class range: `z-a`/,
  );
  assert.match(problems[2]?.message ?? '', /at column 2: invalid nested repetition operator/);
});

test('the end must be after the start, and in the future', () => {
  assert.deepEqual(
    valid({ startsAt: NOW + H, endsAt: NOW }).map((p) => p.path),
    ['/endsAt'],
  );
  assert.match(valid({ startsAt: NOW, endsAt: NOW })[0]?.message ?? '', /after startsAt/);
  const past = valid({ startsAt: NOW - 2 * H, endsAt: NOW - H });
  assert.equal(past[0]?.path, '/endsAt');
  assert.match(past[0]?.message ?? '', /in the past/);
});

test('the creator is required', () => {
  assert.deepEqual(
    valid({ createdBy: ' ' }).map((p) => p.path),
    ['/createdBy'],
  );
});

test('API matchers map to operators; isEqual defaults to true', () => {
  const m = (isRegex: boolean, isEqual?: boolean) =>
    matcherFromApi({ name: 'a', value: 'b', isRegex, ...(isEqual === undefined ? {} : { isEqual }) }).type;
  assert.deepEqual([m(false), m(false, false), m(true), m(true, false)], ['=', '!=', '=~', '!~']);
});

test('re-posting with unchanged matchers updates an active silence in place when its start is kept', () => {
  const prev = silence();
  const same = { matchers: [...prev.matchers], startsAt: prev.startsAt + 300, endsAt: NOW + 5 * H };
  assert.equal(planUpsert(prev, same, NOW), 'update', 'same start to the second');
  assert.equal(planUpsert(prev, { ...same, startsAt: prev.startsAt + 2000 }, NOW), 'replace');
  assert.equal(planUpsert(prev, { ...same, endsAt: NOW - 1 }, NOW), 'replace');
  const reordered = parseMatchers('alertname="DiskFull", instance="db-1"');
  assert.equal(
    planUpsert(silence({ matchers: reordered }), { ...same, matchers: [...reordered].reverse() }, NOW),
    'update',
    'order of matchers does not matter',
  );
});

test('changed matchers or an expired silence always give a new silence', () => {
  const prev = silence();
  const next = {
    matchers: parseMatchers('alertname="DiskFull", instance="db-1"'),
    startsAt: prev.startsAt,
    endsAt: NOW + H,
  };
  assert.equal(planUpsert(prev, next, NOW), 'replace');
  const expired = silence({ endsAt: NOW - 1 });
  assert.equal(planUpsert(expired, { ...next, matchers: expired.matchers }, NOW), 'replace');
});

test('a pending silence may be moved but not into the past', () => {
  const prev = silence({ startsAt: NOW + H, endsAt: NOW + 2 * H });
  const base = { matchers: prev.matchers, endsAt: NOW + 3 * H };
  assert.equal(planUpsert(prev, { ...base, startsAt: NOW + 2 * H }, NOW), 'update');
  assert.equal(planUpsert(prev, { ...base, startsAt: NOW - 1 }, NOW), 'replace');
});

test('expiring ends an active silence now, ends a pending one before it starts, and leaves an expired one', () => {
  assert.deepEqual(expireAt(silence(), NOW), silence({ endsAt: NOW, updatedAt: NOW }));
  const pending = expireAt(silence({ startsAt: NOW + H, endsAt: NOW + 2 * H }), NOW);
  assert.ok(pending);
  assert.equal(pending.startsAt, NOW);
  assert.equal(pending.endsAt, NOW);
  assert.equal(silenceState(pending, NOW), 'expired');
  assert.equal(expireAt(silence({ endsAt: NOW - 1 }), NOW), null);
});

test('silencedBy lists the active silences whose matchers all hold', () => {
  const list = [
    silence({ id: 'disk' }),
    silence({ id: 'db', matchers: parseMatchers('alertname="DiskFull", instance=~"db-.*"') }),
    silence({ id: 'later', startsAt: NOW + 1 }),
    silence({ id: 'over', endsAt: NOW }),
    silence({ id: 'other', matchers: parseMatchers('alertname!="DiskFull"') }),
  ].map(compileSilence);
  assert.deepEqual(silencedBy(list, { alertname: 'DiskFull', instance: 'db-1' }, NOW), ['disk', 'db']);
  assert.deepEqual(silencedBy(list, { alertname: 'DiskFull', instance: 'web-1' }, NOW), ['disk']);
  assert.deepEqual(silencedBy(list, { alertname: 'CpuHigh' }, NOW), ['other']);
});

test('the list filter is Alertmanager’s: each filter matcher must be one of the silence’s, verbatim', () => {
  const s = silence({ matchers: parseMatchers('alertname="DiskFull", instance=~"db-.*"') });
  assert.ok(silenceMatchesFilter(s, []));
  assert.ok(silenceMatchesFilter(s, parseMatchers('instance=~"db-.*"')));
  assert.ok(!silenceMatchesFilter(s, parseMatchers('instance="db-1"')), 'not evaluated against the regex');
  assert.ok(!silenceMatchesFilter(s, parseMatchers('alertname!="DiskFull"')));
  assert.ok(!silenceMatchesFilter(s, parseMatchers('alertname="DiskFull", team="ops"')));
});

test('listing order: active ending soonest, pending starting soonest, expired most recent', () => {
  const list = [
    silence({ id: 'expired-old', endsAt: NOW - 2 * H, startsAt: NOW - 3 * H }),
    silence({ id: 'pending-late', startsAt: NOW + 2 * H, endsAt: NOW + 3 * H }),
    silence({ id: 'active-long', endsAt: NOW + 5 * H }),
    silence({ id: 'expired-new', endsAt: NOW - H, startsAt: NOW - 3 * H }),
    silence({ id: 'pending-soon', startsAt: NOW + H, endsAt: NOW + 3 * H }),
    silence({ id: 'active-short', endsAt: NOW + H }),
  ];
  assert.deepEqual(
    list.sort(compareSilences(NOW)).map((s) => s.id),
    ['active-short', 'active-long', 'pending-soon', 'pending-late', 'expired-new', 'expired-old'],
  );
});

const TYPES: MatchType[] = ['=', '!=', '=~', '!~'];
const arbMatcher: fc.Arbitrary<Matcher> = fc.record({
  name: fc.constantFrom('a', 'b', 'c'),
  type: fc.constantFrom(...TYPES),
  value: fc.constantFrom('', 'x', 'y', 'x|y', '.*', 'x.*'),
});

test('sameMatchers is order-insensitive equality of the matcher lists', () => {
  fc.assert(
    fc.property(fc.array(arbMatcher, { maxLength: 4 }), fc.array(arbMatcher, { maxLength: 4 }), (a, b) => {
      assert.ok(sameMatchers(a, [...a].reverse()));
      const key = (l: Matcher[]) =>
        l
          .map((m) => `${m.name}${m.type}${m.value}`)
          .sort()
          .join('\n');
      assert.equal(sameMatchers(a, b), key(a) === key(b));
    }),
  );
});
