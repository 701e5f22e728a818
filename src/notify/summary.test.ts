import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeStorm } from './summary.js';

const T0 = Date.parse('2026-11-26T08:00:00Z');

test('a group within the limit is not summarised', () => {
  const alerts = [{ status: 'firing' as const, labels: { alertname: 'A', instance: '1' }, startsAt: T0 }];
  assert.equal(summarizeStorm(alerts, { alertname: 'A' }, 20), null);
});

test('a storm lists the first K alerts, firing first, and counts the values of the labels that differ', () => {
  const alerts = Array.from({ length: 2000 }, (_, i) => ({
    status: i % 100 === 0 ? ('resolved' as const) : ('firing' as const),
    labels: {
      alertname: 'OrderSyncFailed',
      service: 'erp',
      severity: 'P1',
      instance: `node-${i}`,
      zone: i < 1500 ? 'sg-1' : 'sg-2',
    },
    startsAt: T0 + i,
  }));
  const s = summarizeStorm(alerts, { alertname: 'OrderSyncFailed', service: 'erp' }, 20);
  assert.ok(s);
  assert.equal(s.total, 2000);
  assert.equal(s.firing, 1980);
  assert.equal(s.resolved, 20);
  assert.equal(s.listed.length, 20);
  assert.equal(s.omitted, 1980);
  assert.ok(s.listed.every((a) => a.status === 'firing'));
  assert.equal(s.listed[0]?.labels.instance, 'node-1', 'earliest firing first');
  // severity is common to all: not counted; zone says most, so it comes first.
  assert.deepEqual(
    s.byLabel.map((l) => l.name),
    ['zone', 'instance'],
  );
  assert.deepEqual(s.byLabel[0], {
    name: 'zone',
    distinct: 2,
    top: [
      { value: 'sg-1', count: 1500 },
      { value: 'sg-2', count: 500 },
    ],
    others: 0,
  });
  assert.equal(s.byLabel[1]?.distinct, 2000);
  assert.equal(s.byLabel[1]?.top.length, 5);
  assert.equal(s.byLabel[1]?.others, 1995);
});
