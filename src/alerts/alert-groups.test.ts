import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertGroups, compareAlerts, labelSetBefore } from './alert-groups.js';
import { compileRoutes } from './route.js';
import type { RouteNode } from '../config/model.js';
import { routeNode } from '../../test/support/route-node.js';
import { fingerprint } from '../kernel/labels.js';
import { parseMatchers } from '../kernel/matchers.js';

const node = (id: string, over: Partial<RouteNode> = {}): RouteNode =>
  routeNode(id, { receiver: 'hook', groupBy: ['alertname', 'service'], ...over });

// The tree of the comparison run against Alertmanager 0.25: P0 pages and (continue) goes on; erp
// alerts are grouped by all labels.
const root = compileRoutes(
  node('0', {
    routes: [
      node('0.0', { receiver: 'pager', matchers: parseMatchers('severity="P0"'), continue: true }),
      node('0.1', { matchers: parseMatchers('service="erp"'), groupBy: 'all' }),
    ],
  }),
);

const alert = (labels: Record<string, string>) => ({ labels, fingerprint: fingerprint(labels) });

test('groups, their order and each alert’s receivers are those Alertmanager 0.25 lists', () => {
  const a = alert({ alertname: 'A', service: 'erp', severity: 'P0' });
  const b = alert({ alertname: 'B', service: 'oms' });
  const { groups, receivers } = alertGroups(root, [b, a]);
  assert.deepEqual(
    groups.map((g) => [g.labels, g.receiver, g.alerts.map((x) => x.labels.alertname)]),
    [
      [{ alertname: 'A', service: 'erp' }, 'pager', ['A']],
      [{ alertname: 'B', service: 'oms' }, 'hook', ['B']],
      [{ alertname: 'A', service: 'erp', severity: 'P0' }, 'hook', ['A']],
    ],
  );
  assert.deepEqual(receivers.get(a.fingerprint), ['hook', 'pager']);
  assert.deepEqual(receivers.get(b.fingerprint), ['hook']);
});

test('alerts of one group share it; filtered routes and alerts leave no empty group', () => {
  const x1 = alert({ alertname: 'Disk', service: 'oms', instance: 'b' });
  const x2 = alert({ alertname: 'Disk', service: 'oms', instance: 'a' });
  const p0 = alert({ alertname: 'Down', service: 'oms', severity: 'P0' });
  const { groups } = alertGroups(root, [x1, x2, p0]);
  assert.deepEqual(
    groups.map((g) => [g.receiver, g.alerts.map((x) => x.labels.instance ?? '-')]),
    [
      ['hook', ['a', 'b']],
      ['pager', ['-']],
    ],
  );
  const onlyPager = alertGroups(root, [x1, x2, p0], (r) => r.node.receiver === 'pager');
  assert.deepEqual(
    onlyPager.groups.map((g) => g.receiver),
    ['pager'],
  );
  assert.deepEqual(onlyPager.receivers.get(p0.fingerprint), ['pager'], 'only receivers of listed groups');
  const noDisk = alertGroups(root, [x1, x2, p0], undefined, (x) => x.labels.alertname !== 'Disk');
  assert.deepEqual(
    noDisk.groups.map((g) => g.receiver),
    ['pager'],
  );
});

test('LabelSet.Before: fewer labels first, then by the first differing name or value', () => {
  assert.ok(labelSetBefore({ a: 'z' }, { a: 'a', b: 'a' }));
  assert.ok(labelSetBefore({ a: '1', b: '2' }, { a: '1', b: '3' }));
  assert.ok(!labelSetBefore({ a: '1', b: '3' }, { a: '1', b: '2' }));
  assert.ok(labelSetBefore({ a: '1', c: 'x' }, { a: '1', b: 'x' }), 'the one lacking b comes first');
  assert.ok(!labelSetBefore({ a: '1' }, { a: '1' }));
  // probe-10 sorts before probe-2, as strings do (seen in Alertmanager's answer).
  assert.ok(labelSetBefore({ s: 'probe-10' }, { s: 'probe-2' }));
});

test('alerts in a group: by job, then instance (present first), then labels', () => {
  const alerts: { labels: Record<string, string> }[] = [
    { labels: { alertname: 'X', instance: 'b' } },
    { labels: { alertname: 'X' } },
    { labels: { alertname: 'X', job: 'z' } },
    { labels: { alertname: 'X', job: 'a', instance: 'c' } },
    { labels: { alertname: 'X', instance: 'a' } },
  ];
  const sorted = alerts.sort(compareAlerts).map((a) => `${a.labels.job ?? '-'}/${a.labels.instance ?? '-'}`);
  assert.deepEqual(sorted, ['a/c', 'z/-', '-/a', '-/b', '-/-']);
});
