// A configuration reload (POST /-/reload, as with Alertmanager) applies new routes, receivers and
// inhibit rules at once: new alerts follow the new tree, firing alerts are regrouped, groups whose
// key survives keep what they told, and the status shows the new configuration.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const S = 1000;
const MIN = 60 * S;

const first = (team: string) => `
route:
  receiver: team
  group_by: [alertname, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: '${team}', send_resolved: true }]
`;

const second = (team: string, db: string) => `
route:
  receiver: team
  group_by: [alertname, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: dba
      matchers: ['service="postgres"']
receivers:
  - name: team
    webhook_configs: [{ url: '${team}', send_resolved: true }]
  - name: dba
    webhook_configs: [{ url: '${db}', send_resolved: true }]
inhibit_rules:
  - source_matchers: ['alertname="DatabaseDown"']
    target_matchers: ['alertname="ApiErrors"']
`;

for (const d of await dialects()) {
  describe(`configuration reload on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let team: FakeWebhook;
    let dba: FakeWebhook;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    const fire = (labels: Record<string, string>[]) =>
      admin.req(
        'POST',
        '/api/v2/alerts',
        labels.map((l) => ({
          labels: l,
          startsAt: new Date(t.clock.now()).toISOString(),
          endsAt: new Date(t.clock.now() + 60 * MIN).toISOString(),
        })),
      );
    const tick = async (ms: number) => {
      t.clock.advance(ms);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
    };

    before(async () => {
      team = await startFakeWebhook();
      dba = await startFakeWebhook();
      t = await startTestApp({ dialect: d.name, configYaml: first(team.url) });
      admin = await setupAdmin(t);
    });
    after(async () => {
      await t?.close();
      await team?.close();
      await dba?.close();
    });

    test('new routes, receivers and inhibit rules apply at once; surviving groups do not repeat themselves', async () => {
      assert.equal((await fire([{ alertname: 'ApiErrors', service: 'oms' }])).status, 200);
      await tick(30 * S);
      await team.waitFor(1);

      t.writeConfig(second(team.url, dba.url));
      const res = await admin.req('POST', '/-/reload');
      assert.equal(res.status, 200, res.raw);
      const receivers = (await admin.req('GET', '/api/v2/receivers')).body as { name: string }[];
      assert.deepEqual(receivers.map((r) => r.name).sort(), ['dba', 'team']);
      const status = (await admin.req('GET', '/api/v2/status')).body;
      assert.match(status.config.original, /service="postgres"/);

      // The ApiErrors group kept its key: what it told is remembered, nothing is sent again.
      await tick(5 * MIN);
      assert.equal(team.requests.length, 1);

      // The new route and the new inhibit rule work for the next alerts.
      await fire([{ alertname: 'DatabaseDown', service: 'postgres' }]);
      await tick(30 * S);
      await dba.waitFor(1);
      assert.equal((dba.requests[0]?.body as any).groupLabels.service, 'postgres');
      const api = ((await admin.req('GET', '/api/v2/alerts')).body as any[]).find(
        (a) => a.labels.alertname === 'ApiErrors',
      );
      assert.equal(api.status.state, 'suppressed');
      assert.equal(api.status.inhibitedBy.length, 1);
      assert.deepEqual(
        api.receivers.map((r: { name: string }) => r.name),
        ['team'],
      );
    });

    test('a file with errors is refused and the running configuration stays', async () => {
      t.writeConfig('route:\n  receiver: nobody\n');
      const res = await admin.req('POST', '/-/reload');
      assert.equal(res.status, 400, res.raw);
      assert.match(res.raw, /nobody/);
      const receivers = (await admin.req('GET', '/api/v2/receivers')).body as { name: string }[];
      assert.deepEqual(receivers.map((r) => r.name).sort(), ['dba', 'team']);
    });
  });
}
