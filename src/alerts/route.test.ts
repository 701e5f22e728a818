import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRoutes, groupKey, groupLabels, matchRoutes } from './route.js';
import type { RouteNode } from '../config/model.js';
import { routeNode } from '../../test/support/route-node.js';
import { parseMatchers } from '../kernel/matchers.js';

const node = (id: string, over: Partial<RouteNode> = {}): RouteNode => routeNode(id, { ...over });

// A severity-based tree: P0 goes to the pager and (continue) to the team; P3 to a digest.
const tree = compileRoutes(
  node('0', {
    routes: [
      node('0.0', { receiver: 'pager', matchers: parseMatchers('severity="P0"'), continue: true }),
      node('0.1', {
        receiver: 'erp-team',
        matchers: parseMatchers('service=~"erp|oms"'),
        routes: [node('0.1.0', { receiver: 'erp-db', matchers: parseMatchers('component="db"') })],
      }),
      node('0.2', { receiver: 'digest', matchers: parseMatchers('severity="P3"') }),
    ],
  }),
);

const receivers = (labels: Record<string, string>) => matchRoutes(tree, labels).map((r) => r.node.receiver);

test('first matching child takes the alert; continue lets later siblings take it too', () => {
  assert.deepEqual(receivers({ severity: 'P0', service: 'erp' }), ['pager', 'erp-team']);
  assert.deepEqual(receivers({ severity: 'P2', service: 'oms' }), ['erp-team']);
  assert.deepEqual(
    receivers({ severity: 'P3', service: 'erp' }),
    ['erp-team'],
    'no continue on 0.1: digest not reached',
  );
});

test('deepest match wins; with no matching child the parent itself takes it', () => {
  assert.deepEqual(receivers({ service: 'erp', component: 'db' }), ['erp-db']);
  assert.deepEqual(receivers({ service: 'wms' }), ['default']);
});

test('route keys and group keys are spelled as Alertmanager spells them', () => {
  const [erpDb] = matchRoutes(tree, { service: 'erp', component: 'db' });
  assert.ok(erpDb);
  assert.equal(erpDb.key, '{}/{service=~"erp|oms"}/{component="db"}');
  const labels = { alertname: 'DBDown', service: 'erp', component: 'db' };
  assert.equal(
    groupKey(erpDb, groupLabels(erpDb, labels)),
    '{}/{service=~"erp|oms"}/{component="db"}:{alertname="DBDown"}',
  );
});

test('group_by picks the labels an alert has; ... takes them all', () => {
  const r = compileRoutes(node('0', { groupBy: ['alertname', 'service'] }));
  assert.deepEqual(groupLabels(r, { alertname: 'A', instance: 'x' }), { alertname: 'A' });
  const all = compileRoutes(node('0', { groupBy: 'all' }));
  assert.deepEqual(groupLabels(all, { alertname: 'A', instance: 'x' }), { alertname: 'A', instance: 'x' });
  assert.equal(groupKey(r, { service: 'erp', alertname: 'A' }), '{}:{alertname="A", service="erp"}');
});
