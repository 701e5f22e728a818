// A channel that keeps failing is itself an alert: three refused deliveries on a DingTalk robot with a
// wrong secret raise WatchpostChannelFailing, which the route sends to another receiver (a webhook),
// never through the failing robot; when the robot takes messages again, the alert resolves.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const SECRET = 'SECright000000000000';

const config = (ding: string, hook: string, secret: string) => `
route:
  receiver: chat
  group_by: [alertname, store]
  group_wait: 0s
  group_interval: 1m
  routes:
    - matchers: ['alertname="WatchpostChannelFailing"']
      receiver: ops-hook
receivers:
  - name: chat
    dingtalk_configs: [{ url: '${ding}', secret: ${secret} }]
  - name: ops-hook
    webhook_configs: [{ url: '${hook}' }]
`;

describe('channel self-alert', () => {
  let t: TestApp;
  let ding: FakeDingtalk;
  let hook: FakeWebhook;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  const tick = async () => {
    await t.app.dispatcher.flushDue();
    await t.app.outbox.drain();
  };
  const selfAlerts = async () =>
    (await admin.req('GET', '/api/v2/alerts?filter=alertname%3D%22WatchpostChannelFailing%22')).body as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
  /** The self-alert is stored just after the attempt that changed the channel's health. */
  const until = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await what()); i++) await new Promise((r) => setTimeout(r, 10));
  };
  const fire = (store: string) =>
    admin.req('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'OrderSyncStalled', store, severity: 'P1' },
        endsAt: new Date(t.clock.now() + 3_600_000).toISOString(),
      },
    ]);

  before(async () => {
    ding = await startFakeDingtalk({
      clock: { now: () => t.clock.now() },
      accessToken: 'tok',
      secret: SECRET,
    });
    hook = await startFakeWebhook();
    t = await startTestApp({ configYaml: config(ding.url, hook.url, 'SECwrong000000000000') });
    admin = await setupAdmin(t);
  });
  after(async () => {
    await t?.close();
    await ding?.close();
    await hook?.close();
  });

  test('three refusals raise WatchpostChannelFailing through the other receiver; a success resolves it', async () => {
    for (const store of ['MY-1', 'MY-2', 'MY-3']) {
      assert.equal((await fire(store)).status, 200);
      await tick();
    }
    assert.equal(ding.messages.length, 0, 'the wrong secret is refused every time');
    await until(async () => (await selfAlerts()).length > 0);
    await tick();
    const [failing, ...more] = await selfAlerts();
    assert.equal(more.length, 0);
    assert.deepEqual(
      [failing?.labels.receiver, failing?.labels.channel, failing?.labels.severity],
      ['chat', 'dingtalk/0', 'P1'],
    );
    assert.match(failing?.annotations.summary ?? '', /dingtalk\/0.*chat.*3/);
    assert.match(failing?.annotations.description ?? '', /310000/);
    const told = hook.requests.map((r) => r.body as { alerts: { labels: Record<string, string> }[] });
    assert.equal(told.length, 1);
    assert.equal(told[0]?.alerts[0]?.labels.alertname, 'WatchpostChannelFailing');

    // The robot's secret is fixed in the file and reloaded: the next delivery works.
    t.writeConfig(config(ding.url, hook.url, SECRET));
    assert.equal((await admin.req('POST', '/-/reload')).status, 200);
    await fire('MY-4');
    await tick();
    assert.equal(ding.messages.length, 1);
    await until(async () => (await selfAlerts()).length === 0);
    assert.equal((await selfAlerts()).length, 0, 'resolved once the channel delivers again');
  });
});
