import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InhibitRule, RouteNode } from '../config/model.js';
import { routeNode } from '../../test/support/route-node.js';
import type { Labels } from '../kernel/labels.js';
import { fingerprint } from '../kernel/labels.js';
import { parseMatchers } from '../kernel/matchers.js';
import type { NotifiedState } from './group-timer.js';
import { planFlush } from './flush-plan.js';
import type { MemberState } from './flush-plan.js';
import { compileInhibitRules, isMuted, muter } from './muting.js';
import { compileRoutes, groupKey, groupLabels, matchRoutes } from './route.js';
import { compileSilence } from './silence.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const T = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3600_000 };
const never: NotifiedState = { firing: null, resolved: [], flapping: [], at: null };
const firingAt = (fp: string): MemberState => ({
  fingerprint: fp,
  startsAt: NOW - 60_000,
  endsAt: NOW + 300_000,
});
const resolvedAt = (fp: string): MemberState => ({
  fingerprint: fp,
  startsAt: NOW - 60_000,
  endsAt: NOW - 1,
});
const plan = (o: Partial<Parameters<typeof planFlush>[0]> & { members: MemberState[] }) =>
  planFlush({
    flapping: new Set(),
    muted: new Set(),
    routeMuted: false,
    last: never,
    now: NOW,
    timing: T,
    sendResolved: true,
    ...o,
  });

test('muted alerts are left out; a group whose alerts are all muted says nothing and remembers nothing', () => {
  const p = plan({ members: [firingAt('a'), firingAt('b')], muted: new Set(['b']) });
  assert.deepEqual(
    p.alerts.map((a) => a.fingerprint),
    ['a'],
  );
  assert.deepEqual(p.notified?.firing, ['a']);
  const all = plan({ members: [firingAt('a')], muted: new Set(['a']) });
  assert.equal(all.decision.notify, false);
  assert.equal(all.notified, null);
  assert.equal(all.ends, false, 'a muted firing alert keeps its group');
});

test('when the silence ends, an alert never told is news; one told before is not (Alertmanager)', () => {
  const told: NotifiedState = { firing: ['a'], resolved: [], flapping: [], at: NOW - 60_000 };
  assert.equal(plan({ members: [firingAt('a')], last: told }).decision.notify, false);
  assert.equal(plan({ members: [firingAt('a'), firingAt('b')], last: told }).decision.reason, 'new-firing');
});

test('a route muted by its time intervals sends nothing, but resolved alerts still leave the group', () => {
  const p = plan({ members: [firingAt('a'), resolvedAt('b')], routeMuted: true });
  assert.equal(p.decision.notify, false);
  assert.deepEqual(p.leave, ['b']);
  assert.equal(p.ends, false);
});

test('a flapping alert counts as firing, is marked, and keeps its group while resolved', () => {
  const p = plan({ members: [resolvedAt('a')], flapping: new Set(['a']) });
  assert.equal(p.decision.reason, 'new-firing');
  assert.deepEqual(p.alerts, [
    { fingerprint: 'a', status: 'firing', startsAt: NOW - 60_000, endsAt: null, flapping: true },
  ]);
  assert.deepEqual(p.leave, []);
  assert.equal(p.ends, false);
  // Once told, its flips are quiet; when it settles resolved, that is news.
  const told = p.notified!;
  assert.equal(
    plan({ members: [firingAt('a')], flapping: new Set(['a']), last: told, now: NOW + 1 }).decision.notify,
    false,
  );
  // Settled while firing: nothing to say, but it is no longer remembered as flapping.
  const calm = plan({ members: [firingAt('a')], last: told, now: NOW + 1 });
  assert.equal(calm.decision.notify, false);
  assert.deepEqual(calm.notified, { ...told, flapping: [] });
  const settled = plan({ members: [resolvedAt('a')], last: told, now: NOW + 1 });
  assert.equal(settled.decision.reason, 'resolved');
  assert.equal(settled.ends, true);
});

// The property the issue asks for: over random alert streams, grouping, silencing and inhibition
// never lose or duplicate an alert. A stream of label sets goes through the real route tree into
// aggregation groups; silences and an inhibit rule mute some; each group's first flush must list
// exactly its unmuted firing alerts, each once, and no alert may vanish from every group.
const route: RouteNode = routeNode('0', {
  ...T,
  routes: [
    routeNode('0.0', {
      receiver: 'oncall',
      groupBy: ['alertname', 'service'],
      ...T,
      continue: true,
      matchers: parseMatchers('severity=~"P0|P1"'),
    }),
    routeNode('0.1', { receiver: 'all', groupBy: 'all', ...T, matchers: parseMatchers('service="oms"') }),
  ],
});
const inhibit: InhibitRule[] = [
  {
    sourceMatchers: parseMatchers('alertname="DatabaseDown"'),
    targetMatchers: parseMatchers('severity=~"P2|P3"'),
    equal: ['service'],
  },
];

const labelsArb: fc.Arbitrary<Labels> = fc.record(
  {
    alertname: fc.constantFrom('DatabaseDown', 'ApiErrors', 'OrderSyncStalled'),
    service: fc.constantFrom('oms', 'wms', 'erp'),
    severity: fc.constantFrom('P0', 'P1', 'P2', 'P3'),
    instance: fc.constantFrom('a', 'b', 'c', 'd'),
  },
  { requiredKeys: ['alertname'] },
);

test('property: grouping, silencing and inhibition never lose or duplicate an alert', () => {
  const root = compileRoutes(route);
  const rules = compileInhibitRules(inhibit);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(labelsArb, fc.boolean()), { minLength: 1, maxLength: 40 }),
      fc.array(fc.constantFrom('service="wms"', 'instance="a"', 'severity="P0"', 'alertname=~"Api.*"'), {
        maxLength: 2,
      }),
      (stream, silenceExprs) => {
        // The store: the last state sent for each fingerprint wins (re-sends merge into one alert).
        const alerts = new Map<string, { labels: Labels; firing: boolean }>();
        for (const [labels, isFiring] of stream)
          alerts.set(fingerprint(labels), { labels, firing: isFiring });
        const silences = silenceExprs.map((e, i) =>
          compileSilence({
            id: `s${i}`,
            matchers: parseMatchers(e),
            startsAt: NOW - 1,
            endsAt: NOW + 3_600_000,
            createdBy: 't',
            comment: '',
            reason: null,
            createdAt: NOW - 1,
            updatedAt: NOW - 1,
          }),
        );
        const firingList = [...alerts]
          .filter(([, a]) => a.firing)
          .map(([fp, a]) => ({ fingerprint: fp, labels: a.labels }));
        const mute = muter({ silences, inhibitRules: rules, firingAlerts: firingList }, NOW);

        // Grouping: every alert joins at least one group, and each group at most once.
        const groups = new Map<string, MemberState[]>();
        for (const [fp, a] of alerts) {
          const routes = matchRoutes(root, a.labels);
          assert.ok(routes.length > 0, 'the root route takes every alert');
          for (const r of routes) {
            const key = groupKey(r, groupLabels(r, a.labels));
            const members = groups.get(key) ?? [];
            assert.ok(!members.some((m) => m.fingerprint === fp), 'an alert joins a group once');
            members.push(a.firing ? firingAt(fp) : resolvedAt(fp));
            groups.set(key, members);
          }
        }
        // Flushing: a group's first notification lists exactly its unmuted firing alerts, once each.
        const told = new Set<string>();
        for (const members of groups.values()) {
          const muted = new Set(
            members.filter((m) => isMuted(mute(alerts.get(m.fingerprint)!.labels))).map((m) => m.fingerprint),
          );
          const p = plan({ members, muted });
          const unmuted = members.filter((m) => !muted.has(m.fingerprint));
          const sent = p.alerts.map((a) => a.fingerprint);
          assert.deepEqual(sent, [...new Set(sent)], 'no alert twice in a notification');
          // The first notification: every unmuted member (resolved ones too), when one of them fires.
          assert.equal(
            p.decision.notify,
            unmuted.some((m) => alerts.get(m.fingerprint)!.firing),
          );
          assert.deepEqual(sent.sort(), p.decision.notify ? unmuted.map((m) => m.fingerprint).sort() : []);
          for (const a of p.alerts) assert.equal(a.status === 'firing', alerts.get(a.fingerprint)!.firing);
          for (const fp of sent) told.add(fp);
          // Membership: resolved alerts leave, the rest stay; nothing else changes.
          assert.deepEqual(
            p.leave,
            members
              .filter((m) => !alerts.get(m.fingerprint)!.firing)
              .map((m) => m.fingerprint)
              .sort(),
          );
        }
        // No firing, unmuted alert goes untold.
        for (const [fp, a] of alerts)
          if (a.firing && !isMuted(mute(a.labels))) assert.ok(told.has(fp), `alert ${fp} was lost`);
      },
    ),
    { numRuns: 300 },
  );
});
