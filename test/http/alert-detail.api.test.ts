// GET /api/v1/alerts/:fingerprint on both stores: one alert's full story — what silences, inhibits or
// covers it (with the silence's comment, the inhibiting alert's labels, the window's mode), flapping,
// its episodes newest first, its groups — for firing and resolved alerts; 404 and 400.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { fingerprint } from '../../src/kernel/labels.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

const CONFIG = `
route:
  receiver: ops
  group_by: [alertname, service]
  routes:
    - receiver: db-team
      matchers: ['alertname="DatabaseDown"']
      continue: true
    - receiver: ops
      matchers: ['service="oms"']
    - receiver: night
      matchers: ['team="night"']
      mute_time_intervals: [office-hours]
receivers:
  - name: ops
  - name: db-team
  - name: night
inhibit_rules:
  - source_matchers: ['alertname="DatabaseDown"']
    target_matchers: ['severity=~"P2|P3"']
    equal: [service]
time_intervals:
  - name: office-hours
    time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:00' }] }]
`;

type Labels = Record<string, string>;

for (const d of await dialects()) {
  describe(`alert detail on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    const at = (ms: number) => new Date(ms).toISOString();
    const fire = async (labels: Labels[]) => {
      const res = await admin.req(
        'POST',
        '/api/v2/alerts',
        labels.map((l) => ({ labels: l, startsAt: at(t.clock.now()), endsAt: at(t.clock.now() + 10 * H) })),
      );
      assert.equal(res.status, 200, res.raw);
    };
    const resolve = async (labels: Labels) => {
      const res = await admin.req('POST', '/api/v2/alerts', [{ labels, endsAt: at(t.clock.now()) }]);
      assert.equal(res.status, 200, res.raw);
    };
    const detail = async (labels: Labels) => {
      const res = await admin.req('GET', `/api/v1/alerts/${fingerprint(labels)}`);
      assert.equal(res.status, 200, res.raw);
      return res.body as Record<string, any>;
    };
    const v2 = async (labels: Labels) =>
      ((await admin.req('GET', '/api/v2/alerts')).body as any[]).find(
        (a) => a.fingerprint === fingerprint(labels),
      );

    before(async () => {
      // Thursday 26 November 2026, 10:00 UTC: inside office hours.
      t = await startTestApp({
        dialect: d.name,
        configYaml: CONFIG,
        start: Date.parse('2026-11-26T10:00:00Z'),
      });
      admin = await setupAdmin(t);
    });
    after(async () => t?.close());

    test('a silenced alert names its silence with the comment, author and end', async () => {
      const endsAt = at(t.clock.now() + 2 * H);
      const made = await admin.req('POST', '/api/v2/silences', {
        matchers: [{ name: 'service', value: 'wms', isRegex: false, isEqual: true }],
        startsAt: at(t.clock.now()),
        endsAt,
        createdBy: 'lin',
        comment: 'WMS upgrade, ticket OPS-7',
      });
      assert.equal(made.status, 200, made.raw);
      const x = { alertname: 'PickListStuck', service: 'wms', severity: 'P2' };
      await fire([x]);
      const r = await detail(x);
      assert.equal(r.state, 'firing');
      assert.equal(r.severity, 'P2');
      assert.equal(r.source, 'external');
      assert.equal(r.expected, false);
      assert.deepEqual(r.mute, {
        silences: [
          { id: made.body.silenceID, comment: 'WMS upgrade, ticket OPS-7', createdBy: 'lin', endsAt },
        ],
        inhibitedBy: [],
        maintenance: [],
        timeIntervals: [],
      });
      // The alert is shown exactly as GET /api/v2/alerts shows it.
      assert.deepEqual(r.alert, await v2(x));
      assert.equal(r.alert.status.state, 'suppressed');
      assert.deepEqual(r.groups, [
        {
          groupKey: '{}:{alertname="PickListStuck", service="wms"}',
          receiver: 'ops',
          labels: { alertname: 'PickListStuck', service: 'wms' },
          acknowledged: null,
        },
      ]);
    });

    test('an inhibited alert names the firing alert that inhibits it, with its labels; resolved, it is still found', async () => {
      const db = { alertname: 'DatabaseDown', service: 'oms', severity: 'P0', instance: 'db1' };
      const api = { alertname: 'ApiErrors', service: 'oms', severity: 'P2', instance: 'api1' };
      const other = { alertname: 'ApiErrors', service: 'erp', severity: 'P2', instance: 'api2' };
      await fire([db, api, other]);
      const r = await detail(api);
      assert.deepEqual(r.mute.inhibitedBy, [{ fingerprint: fingerprint(db), labels: db }]);
      assert.deepEqual(r.alert.status.inhibitedBy, [fingerprint(db)]);
      assert.equal(r.alert.status.state, 'suppressed');
      assert.deepEqual(r.alert, await v2(api));
      assert.deepEqual((await detail(other)).mute.inhibitedBy, [], 'another service is not inhibited');

      // The source belongs to two groups: its own route (continue: true) and the oms route.
      const source = await detail(db);
      assert.deepEqual(
        source.groups.map((g: any) => [g.groupKey, g.receiver]),
        [
          ['{}/{alertname="DatabaseDown"}:{alertname="DatabaseDown", service="oms"}', 'db-team'],
          ['{}/{service="oms"}:{alertname="DatabaseDown", service="oms"}', 'ops'],
        ],
      );
      assert.deepEqual(source.alert.receivers, [{ name: 'db-team' }, { name: 'ops' }]);

      t.clock.advance(10 * MIN);
      await resolve(db);
      const resolved = await detail(db);
      assert.equal(resolved.state, 'resolved');
      assert.deepEqual(resolved.episodes, [
        { firedAt: '2026-11-26T10:00:00.000Z', resolvedAt: '2026-11-26T10:10:00.000Z' },
      ]);
      assert.deepEqual((await detail(api)).mute.inhibitedBy, [], 'a resolved source inhibits nothing');
      assert.equal((await detail(api)).alert.status.state, 'active');
    });

    test('a window in mode expected marks the alert expected; a mute window does not', async () => {
      const window = async (name: string, service: string, mode: 'mute' | 'expected') => {
        const res = await admin.req('POST', '/api/v1/maintenance', {
          name,
          matchers: [{ name: 'service', value: service, isRegex: false, isEqual: true }],
          schedule: { kind: 'once', startsAt: at(t.clock.now() - MIN), endsAt: at(t.clock.now() + H) },
          timeZone: 'UTC',
          mode,
          comment: '',
        });
        assert.equal(res.status, 201, res.raw);
        return res.body.id as string;
      };
      const expectedId = await window('ERP release 4.2', 'erp-batch', 'expected');
      const muteId = await window('Report rebuild', 'report', 'mute');
      const batch = { alertname: 'BatchLate', service: 'erp-batch' };
      const report = { alertname: 'ReportLate', service: 'report' };
      await fire([batch, report]);

      const b = await detail(batch);
      assert.equal(b.expected, true);
      assert.deepEqual(b.mute.maintenance, [{ id: expectedId, name: 'ERP release 4.2', mode: 'expected' }]);
      assert.deepEqual(b.alert.status.mutedBy, ['ERP release 4.2']);
      const r = await detail(report);
      assert.equal(r.expected, false);
      assert.deepEqual(r.mute.maintenance, [{ id: muteId, name: 'Report rebuild', mode: 'mute' }]);

      // After the window, nothing covers it.
      t.clock.advance(H);
      await fire([batch]);
      const later = await detail(batch);
      assert.equal(later.expected, false);
      assert.deepEqual(later.mute.maintenance, []);
    });

    test('a route muted by a time interval is named', async () => {
      const x = { alertname: 'NightJobFailed', service: 'report', team: 'night' };
      t.clock.set(Date.parse('2026-11-27T10:00:00Z')); // Friday, office hours
      await fire([x]);
      const r = await detail(x);
      assert.deepEqual(r.mute.timeIntervals, ['office-hours']);
      assert.deepEqual(r.alert.status.mutedBy, ['office-hours']);
    });

    test('five state changes within the window make it flap; episodes are listed newest first', async () => {
      t.clock.set(Date.parse('2026-11-27T20:00:00Z'));
      const x = { alertname: 'CarrierCallbackDown', service: 'logistics' };
      const fired: number[] = [];
      const flips: [number, boolean, number][] = [];
      for (let i = 0; i < 5; i++) {
        if (i % 2 === 0) {
          fired.push(t.clock.now());
          await fire([x]);
        } else await resolve(x);
        const r = await detail(x);
        flips.push([r.flapping.changes, r.flapping.flapping, r.flapping.threshold]);
        t.clock.advance(5 * MIN);
      }
      assert.deepEqual(flips, [
        [1, false, 4],
        [2, false, 4],
        [3, false, 4],
        [4, false, 4],
        [5, true, 4],
      ]);
      const r = await detail(x);
      assert.equal(r.flapping.window, '1h');
      assert.equal(r.state, 'firing');
      assert.deepEqual(r.episodes, [
        { firedAt: at(fired[2]!), resolvedAt: null },
        { firedAt: at(fired[1]!), resolvedAt: at(fired[1]! + 5 * MIN) },
        { firedAt: at(fired[0]!), resolvedAt: at(fired[0]! + 5 * MIN) },
      ]);
      // An hour later the early changes have left the window: it settled.
      t.clock.advance(H);
      await fire([x]);
      const settled = await detail(x);
      assert.equal(settled.flapping.flapping, false);
      assert.equal(settled.flapping.changes, 0);
    });

    test('an unknown fingerprint is 404 naming it; a malformed one is 400; anonymous is 401', async () => {
      const missing = await admin.req('GET', '/api/v1/alerts/0123456789abcdef');
      assert.equal(missing.status, 404, missing.raw);
      assert.match(missing.body.error.message, /0123456789abcdef/);

      const bad = await admin.req('GET', '/api/v1/alerts/not-a-fingerprint');
      assert.equal(bad.status, 400, bad.raw);
      assert.equal(bad.body.error.details[0].path, 'params:/fingerprint');
      assert.match(bad.body.error.message, /16 hexadecimal digits/);

      const x = { alertname: 'PickListStuck', service: 'wms', severity: 'P2' };
      const upper = await admin.req('GET', `/api/v1/alerts/${fingerprint(x).toUpperCase()}`);
      assert.equal(upper.status, 200, 'the fingerprint is read in any case');
      assert.equal(upper.body.alert.fingerprint, fingerprint(x));

      const anon = await t.request({ method: 'GET', url: `/api/v1/alerts/${fingerprint(x)}` });
      assert.equal(anon.status, 401);
    });
  });
}
