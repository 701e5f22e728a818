// What mutes a notification at the group flush, end to end through the webhook receiver: silences,
// inhibition, maintenance windows, a route's mute/active time intervals, and flapping. The alerts
// API shows why each muted alert says nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

const config = (hook: string) => `
route:
  receiver: hook
  group_by: [alertname, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 12h
  routes:
    - receiver: hook
      matchers: ['team="night"']
      mute_time_intervals: [office-hours]
    - receiver: hook
      matchers: ['team="weekend"']
      active_time_intervals: [weekend]
receivers:
  - name: hook
    webhook_configs: [{ url: '${hook}', send_resolved: true }]
inhibit_rules:
  - source_matchers: ['alertname="DatabaseDown"']
    target_matchers: ['severity=~"P2|P3"']
    equal: [service]
time_intervals:
  - name: office-hours
    time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:00' }] }]
  - name: weekend
    time_intervals: [{ weekdays: ['saturday', 'sunday'] }]
`;

type Labels = Record<string, string>;

for (const d of await dialects()) {
  describe(`muting at the flush on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let hook: FakeWebhook;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    const fire = (labels: Labels[]) =>
      admin.req(
        'POST',
        '/api/v2/alerts',
        // As Prometheus sends them: started now, ending well ahead unless re-sent.
        labels.map((l) => ({
          labels: l,
          startsAt: new Date(t.clock.now()).toISOString(),
          endsAt: new Date(t.clock.now() + 10 * H).toISOString(),
        })),
      );
    const resolve = (labels: Labels) =>
      admin.req('POST', '/api/v2/alerts', [{ labels, endsAt: new Date(t.clock.now()).toISOString() }]);
    const tick = async (ms: number) => {
      t.clock.advance(ms);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
    };
    /** Notifications received since `from` (for these alert names), as "alertname/service: instances". */
    const since = (from: number, names?: string[]) =>
      hook.requests
        .slice(from)
        .filter((r) => !names || names.includes((r.body as any).groupLabels.alertname))
        .map((r) => {
          const b = r.body as any;
          return `${b.groupLabels.alertname}/${b.groupLabels.service}: ${(b.alerts as any[])
            .map((a) => `${a.labels.instance ?? ''}${a.status === 'resolved' ? ' resolved' : ''}`)
            .join(',')}`;
        });
    const apiState = async (labels: Labels) => {
      const all = (await admin.req('GET', '/api/v2/alerts')).body as any[];
      return all.find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v))?.status;
    };

    before(async () => {
      hook = await startFakeWebhook();
      // Thursday 26 November 2026, 10:00 UTC: inside office hours, not a weekend.
      t = await startTestApp({
        dialect: d.name,
        configYaml: config(hook.url),
        start: Date.parse('2026-11-26T10:00:00Z'),
      });
      admin = await setupAdmin(t);
    });
    after(async () => {
      await t?.close();
      await hook?.close();
    });

    test('a silenced group says nothing; when the silence expires the alert is told', async () => {
      const res = await admin.req('POST', '/api/v2/silences', {
        matchers: [{ name: 'service', value: 'wms', isRegex: false, isEqual: true }],
        startsAt: new Date(t.clock.now()).toISOString(),
        endsAt: new Date(t.clock.now() + H).toISOString(),
        createdBy: 'ops',
        comment: 'WMS upgrade',
      });
      assert.equal(res.status, 200, res.raw);
      const from = hook.requests.length;
      await fire([{ alertname: 'PickListStuck', service: 'wms', instance: 'w1' }]);
      await tick(30 * S);
      assert.deepEqual(since(from), []);
      const status = await apiState({ alertname: 'PickListStuck' });
      assert.equal(status.state, 'suppressed');
      assert.deepEqual(status.silencedBy, [res.body.silenceID]);

      assert.equal(
        (await admin.req('DELETE', `/api/v2/silence/${res.body.silenceID as string}`)).status,
        200,
      );
      await tick(5 * MIN);
      await hook.waitFor(from + 1);
      assert.deepEqual(since(from), ['PickListStuck/wms: w1']);
    });

    test('a firing source inhibits its targets with the same service; when it resolves they are told', async () => {
      const from = hook.requests.length;
      await fire([
        { alertname: 'DatabaseDown', service: 'oms', severity: 'P0', instance: 'db1' },
        { alertname: 'ApiErrors', service: 'oms', severity: 'P2', instance: 'api1' },
        { alertname: 'ApiErrors', service: 'erp', severity: 'P2', instance: 'api2' },
      ]);
      await tick(30 * S);
      await hook.waitFor(from + 2);
      assert.deepEqual(since(from).sort(), ['ApiErrors/erp: api2', 'DatabaseDown/oms: db1']);
      const status = await apiState({ alertname: 'ApiErrors', service: 'oms' });
      assert.equal(status.state, 'suppressed');
      assert.equal(status.inhibitedBy.length, 1);

      await resolve({ alertname: 'DatabaseDown', service: 'oms', severity: 'P0', instance: 'db1' });
      await tick(5 * MIN);
      await hook.waitFor(from + 4);
      assert.deepEqual(since(from + 2).sort(), ['ApiErrors/oms: api1', 'DatabaseDown/oms: db1 resolved']);
    });

    test('a maintenance window mutes what it covers while it is active, and shows on the alert', async () => {
      const res = await admin.req('POST', '/api/v1/maintenance', {
        name: 'ERP release',
        matchers: [{ name: 'service', value: 'erp-batch', isRegex: false, isEqual: true }],
        schedule: {
          kind: 'once',
          startsAt: new Date(t.clock.now() - MIN).toISOString(),
          endsAt: new Date(t.clock.now() + 20 * MIN).toISOString(),
        },
        timeZone: 'UTC',
        mode: 'expected',
        comment: 'release 4.2',
      });
      assert.equal(res.status, 201, res.raw);
      const from = hook.requests.length;
      await fire([{ alertname: 'BatchLate', service: 'erp-batch', instance: 'b1' }]);
      await tick(30 * S);
      assert.deepEqual(since(from), []);
      const status = await apiState({ alertname: 'BatchLate' });
      assert.equal(status.state, 'suppressed');
      assert.deepEqual(status.mutedBy, ['ERP release']);

      await tick(20 * MIN);
      await hook.waitFor(from + 1);
      assert.deepEqual(since(from), ['BatchLate/erp-batch: b1']);
    });

    test('mute_time_intervals and active_time_intervals mute a route, and the API names the interval', async () => {
      const from = hook.requests.length;
      await fire([
        { alertname: 'NightJobFailed', service: 'report', team: 'night', instance: 'r1' },
        { alertname: 'WeekendOnly', service: 'promo', team: 'weekend', instance: 'p1' },
      ]);
      await tick(30 * S);
      assert.deepEqual(since(from), [], 'office hours on a Thursday: both routes are muted');
      assert.deepEqual((await apiState({ alertname: 'NightJobFailed' })).mutedBy, ['office-hours']);
      assert.deepEqual((await apiState({ alertname: 'WeekendOnly' })).mutedBy, ['weekend']);
      // 17:00 ends office hours: the night route speaks at its next flush.
      t.clock.set(Date.parse('2026-11-26T17:00:00Z'));
      await tick(5 * MIN);
      await hook.waitFor(from + 1);
      assert.deepEqual(since(from, ['NightJobFailed', 'WeekendOnly']), ['NightJobFailed/report: r1']);
      const before = hook.requests.length;
      // Saturday: the weekend route is active.
      t.clock.set(Date.parse('2026-11-28T00:00:00Z'));
      await fire([{ alertname: 'WeekendOnly', service: 'promo', team: 'weekend', instance: 'p1' }]);
      await tick(5 * MIN);
      await hook.waitFor(before + 1);
      assert.deepEqual(since(before, ['WeekendOnly']), ['WeekendOnly/promo: p1']);
    });

    test('a flapping alert is told once as flapping, then quiet until it settles', async () => {
      const x = { alertname: 'CarrierCallbackDown', service: 'logistics', instance: 'c1' };
      const from = hook.requests.length;
      // Four changes (fire, resolve, fire, resolve) are normal: each is told.
      for (let i = 0; i < 2; i++) {
        await fire([x]);
        await tick(30 * S);
        await resolve(x);
        await tick(5 * MIN);
      }
      await hook.waitFor(from + 4);
      assert.deepEqual(since(from), [
        'CarrierCallbackDown/logistics: c1',
        'CarrierCallbackDown/logistics: c1 resolved',
        'CarrierCallbackDown/logistics: c1',
        'CarrierCallbackDown/logistics: c1 resolved',
      ]);
      // The fifth change within the hour makes it flap: told once, marked.
      await fire([x]);
      await tick(30 * S);
      await hook.waitFor(from + 5);
      const flap = (hook.requests[from + 4]?.body as any).alerts[0];
      assert.equal(flap.status, 'firing');
      assert.equal(flap.annotations.flapping, 'true');
      // Its flips are quiet now.
      for (let i = 0; i < 3; i++) {
        await resolve(x);
        await tick(5 * MIN);
        await fire([x]);
        await tick(5 * MIN);
      }
      assert.equal(hook.requests.length, from + 5, 'no notification for the flips of a flapping alert');
      // It stays firing for over an hour: it settled, and being already told, says nothing new.
      for (let i = 0; i < 14; i++) await tick(5 * MIN);
      assert.equal(hook.requests.length, from + 5);
      // Its resolution after settling is told.
      await resolve(x);
      await tick(5 * MIN);
      await hook.waitFor(from + 6);
      assert.deepEqual(since(from + 5), ['CarrierCallbackDown/logistics: c1 resolved']);
    });
  });
}
