import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_LIMITS,
  mergeAlerts,
  normalizeAlert,
  receive,
  severityOf,
  statusAt,
  transition,
} from './model.js';
import type { Alert } from './model.js';

const now = Date.parse('2026-11-26T08:00:00Z');
const m = 60_000;
const alert = (startsAt: number, endsAt: number, updatedAt: number, timeout = false): Alert => ({
  fingerprint: 'f',
  labels: { alertname: 'A' },
  annotations: {},
  startsAt,
  endsAt,
  timeout,
  updatedAt,
  generatorUrl: '',
  source: 'external',
});

// The table of Alertmanager's TestAlertMerge (types/types_test.go): A is older than B; the result
// must be the same whichever way round they are merged.
const cases: [string, Alert, Alert, Alert][] = [
  [
    'both timeout: start from A, end from B',
    alert(now - 2 * m, now + 2 * m, now, true),
    alert(now - m, now + 3 * m, now + m, true),
    alert(now - 2 * m, now + 3 * m, now + m, true),
  ],
  [
    'A timeout, B explicit: end from B',
    alert(now - m, now + 3 * m, now, true),
    alert(now, now + 2 * m, now + m),
    alert(now - m, now + 2 * m, now + m),
  ],
  [
    'A explicit, B timeout: the later explicit end wins',
    alert(now - m, now + 3 * m, now),
    alert(now, now + 2 * m, now + m, true),
    alert(now - m, now + 3 * m, now + m, true),
  ],
  [
    'both explicit: the later end wins',
    alert(now - m, now + 3 * m, now),
    alert(now, now + 2 * m, now + m),
    alert(now - m, now + 3 * m, now + m),
  ],
  [
    'both explicit, B ends later',
    alert(now - m, now + 3 * m, now),
    alert(now - m, now + 4 * m, now + m),
    alert(now - m, now + 4 * m, now + m),
  ],
  [
    'A resolved, B firing: B re-opens it with A’s start',
    alert(now - 3 * m, now - m, now),
    alert(now - 2 * m, now + m, now + m),
    alert(now - 3 * m, now + m, now + m),
  ],
  [
    'B resolves it now',
    alert(now - 2 * m, now + 3 * m, now),
    alert(now - 2 * m, now, now + m),
    alert(now - 2 * m, now, now + m),
  ],
  [
    'both resolved: the latest explicit end wins',
    alert(now - 3 * m, now - m, now - m),
    alert(now - 4 * m, now - 2 * m, now + m),
    alert(now - 4 * m, now - m, now + m),
  ],
];

for (const [name, a, b, expected] of cases)
  test(`merge as Alertmanager: ${name}`, () => {
    assert.deepEqual(mergeAlerts(a, b, now), expected);
    assert.deepEqual(mergeAlerts(b, a, now), expected);
  });

test('a received alert replaces a stored one whose activity it does not overlap', () => {
  const old = alert(now - 10 * m, now - 5 * m, now - 5 * m);
  const fresh = alert(now - m, now + 4 * m, now);
  assert.deepEqual(receive(old, fresh, now), fresh);
  assert.deepEqual(receive(null, fresh, now), fresh);
});

test('Prometheus re-sending a firing alert keeps its start and moves its end', () => {
  const first = alert(now - 5 * m, now + 4 * m, now - m);
  const resend = alert(now - 5 * m, now + 5 * m, now);
  const kept = receive(first, resend, now);
  assert.equal(kept.startsAt, now - 5 * m);
  assert.equal(kept.endsAt, now + 5 * m);
});

test('normalising: empty labels dropped, defaults for missing times, fingerprint computed', () => {
  const r = normalizeAlert(
    {
      labels: { alertname: 'OrderSyncStalled', platform: 'shopee', store: 'MY-1', severity: 'P1', empty: '' },
    },
    'external',
    now,
    DEFAULT_LIMITS,
    '/0',
  );
  assert.ok(r.alert);
  assert.equal(r.alert.fingerprint, 'd2ece51fe95ba900');
  assert.equal(r.alert.labels.empty, undefined);
  assert.equal(r.alert.startsAt, now);
  assert.equal(r.alert.endsAt, now + DEFAULT_LIMITS.resolveTimeoutMs);
  assert.equal(r.alert.timeout, true);
  assert.equal(statusAt(r.alert, now), 'firing');
  const onlyEnd = normalizeAlert(
    { labels: { a: 'b' }, endsAt: now - m },
    'external',
    now,
    DEFAULT_LIMITS,
    '/1',
  );
  assert.equal(onlyEnd.alert?.startsAt, now - m);
  assert.equal(onlyEnd.alert && statusAt(onlyEnd.alert, now), 'resolved');
});

test('normalising reports every problem with its pointer', () => {
  const r = normalizeAlert(
    {
      labels: { '1bad': 'x', ok: 'y'.repeat(3000) },
      annotations: { 'bad-name': 'z' },
      startsAt: now,
      endsAt: now - 1,
    },
    'external',
    now,
    DEFAULT_LIMITS,
    '/3',
  );
  assert.equal(r.alert, null);
  assert.deepEqual(
    r.problems.map((p) => p.path),
    ['/3/labels/1bad', '/3/labels/ok', '/3/annotations/bad-name', '/3/endsAt'],
  );
  const empty = normalizeAlert({ labels: { a: '' } }, 'external', now, DEFAULT_LIMITS, '/0');
  assert.match(empty.problems[0]?.message ?? '', /at least one label/);
  const many = normalizeAlert(
    { labels: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`l${i}`, 'v'])) },
    'external',
    now,
    DEFAULT_LIMITS,
    '/0',
  );
  assert.match(many.problems[0]?.message ?? '', /at most 64/);
});

test('severity: P0–P3 as given, common words mapped, overrides win, labels untouched', () => {
  assert.equal(severityOf({ severity: 'P1' }), 'P1');
  assert.equal(severityOf({ severity: 'critical' }), 'P0');
  assert.equal(severityOf({ severity: 'Warning' }), 'P2');
  assert.equal(severityOf({ severity: 'info' }), 'P3');
  assert.equal(severityOf({ severity: 'sev1' }), null);
  assert.equal(severityOf({ severity: 'sev1' }, { sev1: 'P0' }), 'P0');
  assert.equal(severityOf({}), null);
});

test('episodes: a new alert opens one, resolving closes it, a later firing opens another', () => {
  const a = alert(now - m, now + 4 * m, now);
  assert.deepEqual(transition(null, a, now), {
    status: 'firing',
    close: null,
    reopen: false,
    open: { startedAt: now - m, endedAt: null },
  });
  const resolved = alert(now - m, now, now + 1);
  assert.deepEqual(transition({ ...a, status: 'firing' }, resolved, now + 1), {
    status: 'resolved',
    close: now,
    reopen: false,
    open: null,
  });
  const again = alert(now + 10 * m, now + 14 * m, now + 10 * m);
  assert.deepEqual(transition({ ...resolved, status: 'resolved' }, again, now + 10 * m), {
    status: 'firing',
    close: null,
    reopen: false,
    open: { startedAt: now + 10 * m, endedAt: null },
  });
  // A re-send within the episode changes nothing.
  assert.deepEqual(transition({ ...a, status: 'firing' }, alert(now - m, now + 5 * m, now + m), now + m), {
    status: 'firing',
    close: null,
    reopen: false,
    open: null,
  });
  // An alert already resolved when first seen is recorded as a closed episode.
  assert.deepEqual(transition(null, alert(now - 5 * m, now - m, now), now).open, {
    startedAt: now - 5 * m,
    endedAt: now - m,
  });
});
